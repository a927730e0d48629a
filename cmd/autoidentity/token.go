package main

import (
	"context"
	"fmt"
)

// runToken is being written (see the issue for the token subcommand).
func runToken(ctx context.Context, s *streams, args []string) int {
	fmt.Fprintln(s.stderr, "autoidentity token: not implemented yet")
	return exitFailure
}
