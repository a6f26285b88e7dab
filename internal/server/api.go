package server

// registerAPI declares the JSON API of the records under /api/v1.
func (s *Server) registerAPI() {}
