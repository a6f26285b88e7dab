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

// readyz answers 200 when the database answers within two seconds and takes writes, and
// 503 otherwise: while it does not answer, and while the last write failed for a storage
// reason (a full disk, a read-only file or server). In that state each call tries a small
// write, so it recovers by itself when the database comes back or can be written again.
func (s *Server) readyz(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		s.log.WarnContext(c, "not ready: database unreachable", "error", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
		return nil
	}
	if f := s.deps.Store.StorageFailure(); f != nil {
		if err := s.deps.Store.CheckWritable(ctx); err != nil {
			if latest := s.deps.Store.StorageFailure(); latest != nil {
				f = latest
			}
			s.log.WarnContext(c, "not ready: writes fail", "reason", f.Reason, "since", f.At, "error", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "storage": f.Reason,
				"since": f.At.Format(time.RFC3339)})
			return nil
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}
