package entratest

// InFlight is the number of requests s is handling right now, e.g. hanging
// under a [Fault]; for the tests of Close.
func InFlight(s *Server) int { return int(s.inFlight.Load()) }

// IMDSURL is the base URL of the Options.IMDSAddr listener.
func IMDSURL(s *Server) string { return s.imdsURL }
