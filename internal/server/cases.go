package server

// registerCasePages declares the routes of joint cases (with their suspects and seizures)
// and coordination plans.
func (s *Server) registerCasePages() {}
