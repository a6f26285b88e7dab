package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// DefaultMailFrom is the sender of phoihop's mails unless PHOIHOP_MAIL_FROM says otherwise.
const DefaultMailFrom = "phoihop@localhost"

// How the connection to the mail server is encrypted.
const (
	TLSStartRequired = "starttls"          // STARTTLS, refusing a server that does not offer it
	TLSStartOptional = "starttls-optional" // STARTTLS when the server offers it, else plain
	TLSNone          = "none"              // plain SMTP, for a relay on the same machine or network
	TLSImplicit      = "tls"               // TLS from the first byte (smtps)
)

// SMTP is the mail server phoihop sends through, as PHOIHOP_SMTP_URL names it.
type SMTP struct {
	Host     string
	Port     int
	TLS      string // TLSStartRequired, TLSStartOptional, TLSNone or TLSImplicit
	Username string // "" sends without authenticating
	Password string
}

// smtpForm is how the setting is written, for the messages.
const smtpForm = "smtp://[USER:PASSWORD@]HOST[:PORT][?starttls=required|optional|off] or smtps://[USER:PASSWORD@]HOST[:PORT]"

// ParseSMTPURL reads a mail server URL: smtp://[USER:PASSWORD@]HOST[:PORT] sends with STARTTLS
// (port 587), required unless ?starttls=optional (used when offered) or ?starttls=off (plain,
// for a relay on the same machine); smtps://… uses TLS from the first byte (port 465). User and
// password are percent-encoded. A password is refused with starttls=off, where it would cross
// the network in clear. Errors say what is wrong and never repeat the password.
func ParseSMTPURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return SMTP{}, fmt.Errorf("config: mail server URL %s is not a URL; use %s", redactedURL(raw), smtpForm)
	}
	shown := u.Redacted()
	bad := func(format string, a ...any) (SMTP, error) {
		return SMTP{}, fmt.Errorf("config: mail server URL %s: %s; use %s", shown, fmt.Sprintf(format, a...), smtpForm)
	}
	s := SMTP{}
	switch u.Scheme {
	case "smtp":
		s.TLS, s.Port = TLSStartRequired, 587
	case "smtps":
		s.TLS, s.Port = TLSImplicit, 465
	default:
		return bad("the scheme %q is neither smtp nor smtps", u.Scheme)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return bad("it names no host")
	}
	if net.ParseIP(s.Host) == nil && !validHostname(s.Host) {
		return bad("%q is neither an IP address nor a host name", s.Host)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("the port must be a number from 1 to 65535")
		}
		s.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return bad("it has a path (%s); a mail server URL has none", u.Path)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" {
			return bad("it has a password but no user")
		}
	}
	q := u.Query()
	for name := range q {
		if name != "starttls" || u.Scheme != "smtp" {
			return bad("unknown setting %q", name)
		}
	}
	if q.Has("starttls") {
		switch strings.ToLower(q.Get("starttls")) {
		case "required", "1", "true":
			s.TLS = TLSStartRequired
		case "optional":
			s.TLS = TLSStartOptional
		case "off", "0", "false":
			s.TLS = TLSNone
		default:
			return bad("starttls=%q is none of required, optional or off", q.Get("starttls"))
		}
	}
	if s.TLS == TLSNone && s.Username != "" {
		return bad("with starttls=off the password would cross the network in clear; use STARTTLS or smtps")
	}
	return s, nil
}

// redactedURL is raw with anything that looks like a password hidden, for the message about a
// value that is not even a URL.
func redactedURL(raw string) string {
	if i := strings.LastIndexByte(raw, '@'); i >= 0 {
		if j := strings.Index(raw, "://"); j >= 0 && j < i {
			return fmt.Sprintf("%q", raw[:j+3]+"…"+raw[i:])
		}
		return `"…` + raw[i:] + `"`
	}
	return fmt.Sprintf("%q", raw)
}

// ParseMailFrom reads the sender of the mails: an address, with or without a display name
// ("Phối hợp <phoihop@example.vn>").
func ParseMailFrom(raw string) (*mail.Address, error) {
	a, err := mail.ParseAddress(raw)
	if err != nil || len(a.Address) > 254 {
		return nil, fmt.Errorf("config: --mail-from / %s %q is not an e-mail address (name@example.vn, or Name <name@example.vn>)", EnvMailFrom, raw)
	}
	return a, nil
}
