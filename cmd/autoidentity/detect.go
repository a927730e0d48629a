package main

import (
	"context"
	"fmt"
)

// runDetect is being written (see the issue for the detect subcommand).
func runDetect(ctx context.Context, s *streams, args []string) int {
	fmt.Fprintln(s.stderr, "autoidentity detect: not implemented yet")
	return exitFailure
}
