package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 while the process runs.
func (s *Server) healthz(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz answers 200 when the database answers within two seconds and 503 otherwise; it
// recovers by itself when the database comes back, since every call asks it afresh.
func (s *Server) readyz(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		s.log.WarnContext(c, "not ready: database unreachable", "error", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}
