package phoihop

import "time"

// Session kinds: a browser session (cookie) or an API session (bearer token).
const (
	SessionWeb = "web"
	SessionAPI = "api"
)

// Session limits (DESIGN.md security bars).
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// Session is a signed-in session; only the SHA-256 of its token is stored.
type Session struct {
	TokenHash  string    `db:"token_hash"`
	UserID     int64     `db:"user_id"`
	Kind       string    `db:"kind"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at"`
	IP         string    `db:"ip"`
	UserAgent  string    `db:"user_agent"`
}
