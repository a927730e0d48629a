package main

import (
	"context"
	"fmt"
)

// runExplain is being written (see the issue for the explain subcommand).
func runExplain(ctx context.Context, s *streams, args []string) int {
	fmt.Fprintln(s.stderr, "autoidentity explain: not implemented yet")
	return exitFailure
}
