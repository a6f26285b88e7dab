package phoihop

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// User statuses.
const (
	UserActive   = "active"
	UserLocked   = "locked"
	UserDisabled = "disabled"
)

// Roles (Casbin role names, DESIGN.md "Users and what they do").
var Roles = []string{"officer", "leader", "analyst", "admin"}

// RoleGrant is a role held in a domain: an agency code or DomainAll.
type RoleGrant struct {
	Role   string
	Domain string
}

// Password length limits (DESIGN.md security bars: at least 8, at least 64 allowed).
const (
	PasswordMinLength = 8
	PasswordMaxLength = 128
)

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$`)

// User is an account. Usernames are unique regardless of case.
type User struct {
	ID                 int64      `db:"id" json:"id"`
	Username           string     `db:"username" json:"username"`
	FullName           string     `db:"full_name" json:"full_name"`
	Email              *string    `db:"email" json:"email,omitempty"` // where notifications go; nil: none
	UnitID             *int64     `db:"unit_id" json:"-"`
	PasswordHash       string     `db:"password_hash" json:"-"`
	MustChangePassword bool       `db:"must_change_password" json:"must_change_password"`
	Status             string     `db:"status" json:"status"`
	FailedLogins       int        `db:"failed_logins" json:"-"`
	LockedUntil        *time.Time `db:"locked_until" json:"-"`
	LastLoginAt        *time.Time `db:"last_login_at" json:"last_login_at,omitempty"`
	PasswordChangedAt  time.Time  `db:"password_changed_at" json:"-"`
	Audit
}

// Normalize trims the user's text fields; an empty e-mail address is none (nil).
func (u *User) Normalize() {
	u.Username = strings.TrimSpace(u.Username)
	u.FullName = strings.TrimSpace(u.FullName)
	u.Email = OptionalEmail(u.EmailAddress())
}

// EmailAddress is the account's e-mail address, "" when it has none.
func (u *User) EmailAddress() string {
	if u.Email == nil {
		return ""
	}
	return *u.Email
}

// OptionalEmail is an e-mail address as typed, trimmed: nil when empty.
func OptionalEmail(s string) *string {
	if s = strings.TrimSpace(s); s != "" {
		return &s
	}
	return nil
}

// MaxEmailLength is the longest e-mail address an account may have: the longest a mail
// server takes in a path (RFC 5321).
const MaxEmailLength = 254

// validEmail adds to f what is wrong with an account's e-mail address: it must be one bare
// address as RFC 5322 writes it (net/mail), without a display name, of at most 254 characters.
func validEmail(f FieldErrors, field, s string) {
	a, err := mail.ParseAddress(s)
	switch {
	case len(s) > MaxEmailLength:
		f.Add(field, "The e-mail address can have at most 254 characters.")
	case err != nil || a.Name != "" || a.Address != s:
		f.Add(field, "Enter one e-mail address, such as ten.donvi@example.vn.")
	}
}

// Validate checks the user's own fields; it returns an EInvalid *Error naming each bad field.
func (u *User) Validate() error {
	f := FieldErrors{}
	switch {
	case u.Username == "":
		f.Add("username", "Enter a username.")
	case !usernameRE.MatchString(u.Username):
		f.Add("username", "Use 2 to 64 letters a-z, digits, dots, dashes or underscores, starting with a letter or digit.")
	}
	validLine(f, "full_name", u.FullName, 1, 200)
	if u.Email != nil {
		validEmail(f, "email", *u.Email)
	}
	switch u.Status {
	case UserActive, UserLocked, UserDisabled:
	default:
		f.Add("status", "Choose a status from the list.")
	}
	return f.Err()
}

// ValidatePassword checks a new password against the length rules; it returns an EInvalid
// *Error for the field "password".
func ValidatePassword(pw string) error {
	f := FieldErrors{}
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		f.Add("password", "The password contains invalid characters.")
	case n < PasswordMinLength:
		f.Add("password", "The password must have at least 8 characters.")
	case n > PasswordMaxLength:
		f.Add("password", "The password can have at most 128 characters.")
	}
	return f.Err()
}
