package server

// registerExchangePages declares the routes of information exchanges and tips.
func (s *Server) registerExchangePages() {}
