package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Sign-in limits (DESIGN.md security bars).
const (
	// MaxFailures consecutive wrong passwords from one address lock the account for that
	// address, so that nobody can lock an account out for everyone from one place.
	MaxFailures = 5
	// AccountMaxFailures wrong passwords within AccountWindow, from any addresses, lock the
	// account for everyone: guessing spread over many addresses.
	AccountMaxFailures = 50
	AccountWindow      = 15 * time.Minute
	LockFor            = 15 * time.Minute // how long either lock lasts unless an admin lifts it
	// Per address: more failures than this within ThrottleWindow refuse further attempts from it.
	ThrottleFailures = 20
	ThrottleWindow   = 15 * time.Minute
	// Sessions are touched at most this often, so browsing does not write on every request.
	touchEvery = time.Minute
)

// loginLimits are the sign-in limits as the store counts failures against them.
func loginLimits() store.LoginLimits {
	return store.LoginLimits{AddressFailures: MaxFailures, AccountFailures: AccountMaxFailures,
		AccountWindow: AccountWindow, LockFor: LockFor}
}

// ErrBadCredentials is the one answer to a failed sign-in, whatever the reason.
var ErrBadCredentials = &phoihop.Error{Code: phoihop.EUnauthorized, Message: "The username or password is wrong, or the account may not sign in."}

// ErrThrottled answers sign-ins from an address that failed too often recently.
var ErrThrottled = &phoihop.Error{Code: phoihop.ETooManyRequests, Message: "Too many failed sign-ins from this address; wait a few minutes and try again."}

// ErrNoSession answers a request whose session token is missing, unknown or expired.
var ErrNoSession = &phoihop.Error{Code: phoihop.EUnauthorized, Message: "Please sign in."}

// Service signs users in and out and resolves session tokens. Its clock is the store's
// (store.Store.Now), so tests move one clock for both.
type Service struct {
	Store *store.Store
	// dummyHash is compared against when the user is unknown, so an unknown username costs
	// the same time as a wrong password.
	dummyHash string
}

// NewService returns a Service over the store with the real clock.
func NewService(st *store.Store) (*Service, error) {
	h, err := HashPassword(rand.Text())
	if err != nil {
		return nil, err
	}
	return &Service{Store: st, dummyHash: h}, nil
}

// Login checks a username and password, given from the actor's address (a.IP), and opens a
// session of the kind (web or api). It answers ErrBadCredentials for an unknown user, a wrong
// password, an account locked for everyone or for this address, or a disabled one alike, and
// ErrThrottled when the address failed too often; the audit log records the real reason. The
// token returned is given to the client once; only its hash is stored.
func (s *Service) Login(ctx context.Context, a phoihop.Actor, username, password, kind, userAgent string) (string, *phoihop.Session, *phoihop.User, error) {
	now := s.Store.Now().UTC()
	n, err := s.Store.RecentLoginFailures(ctx, a.IP, now.Add(-ThrottleWindow))
	if err != nil {
		return "", nil, nil, err
	}
	if n >= ThrottleFailures {
		return "", nil, nil, ErrThrottled
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		CheckPassword(password, s.dummyHash)
		_, err := s.Store.LoginFailure(ctx, a, 0, username, store.ReasonUnknownUser, loginLimits())
		return "", nil, nil, firstErr(err, ErrBadCredentials)
	}
	if err != nil {
		return "", nil, nil, err
	}
	ok, err := CheckPassword(password, u.PasswordHash)
	if err != nil {
		return "", nil, nil, err
	}
	reason := ""
	switch {
	case u.Status == phoihop.UserDisabled:
		reason = store.ReasonDisabled
	case u.Status == phoihop.UserLocked && u.LockedUntil != nil && now.Before(*u.LockedUntil):
		reason = store.ReasonLocked
	}
	if reason == "" {
		until, err := s.Store.AddressLockedUntil(ctx, u.ID, a.IP)
		if err != nil {
			return "", nil, nil, err
		}
		if until != nil {
			reason = store.ReasonLockedAddress
		}
	}
	if reason == "" && !ok {
		reason = store.ReasonWrongPassword
	}
	if reason != "" {
		uid := u.ID
		a.UserID = &uid
		_, err := s.Store.LoginFailure(ctx, a, u.ID, u.Username, reason, loginLimits())
		return "", nil, nil, firstErr(err, ErrBadCredentials)
	}
	token, hash := newToken()
	ses := &phoihop.Session{TokenHash: hash, UserID: u.ID, Kind: kind, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(phoihop.SessionAbsoluteTimeout), IP: a.IP, UserAgent: truncate(userAgent, 300)}
	uid := u.ID
	a.UserID, a.Username = &uid, u.Username
	if err := s.Store.LoginSuccess(ctx, a, u, ses); err != nil {
		return "", nil, nil, err
	}
	return token, ses, u, nil
}

// Authenticate returns the session and user of a token. A token that is unknown, past its
// absolute expiry, idle for longer than the idle timeout, or whose user is disabled answers
// ErrNoSession (and an expired session is removed).
func (s *Service) Authenticate(ctx context.Context, token string) (*phoihop.Session, *phoihop.User, error) {
	if token == "" || len(token) > 200 {
		return nil, nil, ErrNoSession
	}
	hash := HashToken(token)
	ses, u, err := s.Store.SessionByTokenHash(ctx, hash)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.Store.Now().UTC()
	if !now.Before(ses.ExpiresAt) || now.Sub(ses.LastSeenAt) >= phoihop.SessionIdleTimeout || u.Status == phoihop.UserDisabled {
		if err := s.Store.DeleteSession(ctx, hash); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrNoSession
	}
	if now.Sub(ses.LastSeenAt) >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
			return nil, nil, err
		}
		ses.LastSeenAt = now
	}
	return ses, u, nil
}

// Logout ends the session of a token.
func (s *Service) Logout(ctx context.Context, a phoihop.Actor, token string) error {
	return s.Store.Logout(ctx, a, HashToken(token))
}

// ChangePassword changes the signed-in user's password after checking the current one; the
// user's other sessions end. Errors name the form fields current_password and new_password.
func (s *Service) ChangePassword(ctx context.Context, a phoihop.Actor, u *phoihop.User, sessionHash, current, next string) error {
	ok, err := CheckPassword(current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"current_password": "The current password is wrong."}}
	}
	if err := CheckNewPassword(next, u.Username, "new_password"); err != nil {
		return err
	}
	if next == current {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"new_password": "The new password must differ from the current one."}}
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return s.Store.ChangePassword(ctx, a, u.ID, hash, sessionHash)
}

// HashToken returns the hex SHA-256 of a session token, the form in which it is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken returns a random session token (256 bits) and its hash.
func newToken() (token, hash string) {
	var b [32]byte
	rand.Read(b[:])
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
