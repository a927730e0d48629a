package entratest

// TB is the part of testing.TB the emulator uses: *testing.T, *testing.B and
// *testing.F satisfy it. entratest takes it instead of testing.TB so that a
// program linking the emulator (autoidentity emulate) does not link the
// testing package; any type with these methods works, e.g. one that records
// the violations a test provokes on purpose.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Start is [NewServer] for tests: it fails tb on error, reports with
// tb.Errorf every non-loopback destination [Server.Client] refuses, and
// closes the server in tb.Cleanup.
func Start(tb TB, opts *Options) *Server {
	tb.Helper()
	s, err := newServer(opts, violationReporter(tb))
	if err != nil {
		tb.Fatalf("%v", err)
		return nil // a TB whose Fatalf returns
	}
	tb.Cleanup(s.Close)
	return s
}

// violationReporter is how [Start] and [GuardTransport] report a refused
// destination: as a failure of tb.
func violationReporter(tb TB) func(host string) {
	return func(host string) {
		tb.Errorf("entratest: test tried to reach non-loopback destination %q", host)
	}
}
