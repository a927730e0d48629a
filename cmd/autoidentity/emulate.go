package main

import (
	"context"
	"fmt"
)

// runEmulate is being written (see the issue for the emulate subcommand).
func runEmulate(ctx context.Context, s *streams, args []string) int {
	fmt.Fprintln(s.stderr, "autoidentity emulate: not implemented yet")
	return exitFailure
}
