// Package mail sends phoihop's e-mail notifications through the mail server of
// PHOIHOP_SMTP_URL (github.com/wneessen/go-mail), one job of the durable queue (kind "mail")
// per message: a mail the server cannot take now is retried with back-off, one it refuses for
// good (an unknown recipient) fails at once and is kept with its error.
package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Kind is the job kind of a mail.
const Kind = "mail"

// Limits of a message.
const (
	MaxAddressLength = 254 // RFC 5321's limit on a path, the longest usable address
	MaxSubjectLength = 250
	MaxBodyLength    = 100_000
)

// Message is one mail to one recipient, plain UTF-8 text: the payload of a mail job.
type Message struct {
	To      string `json:"to"`      // an address, with or without a display name: "Trần Văn A <a@example.vn>"
	Subject string `json:"subject"` // one line
	Body    string `json:"body"`    // plain text
}

// Validate checks the message: an address net/mail reads (RFC 5322) of at most 254
// characters, a subject of one line of 1 to 250 characters and a body of at most 100 000, all
// valid UTF-8. The error names what is wrong.
func (m Message) Validate() error {
	var errs []error
	if _, err := ParseAddress(m.To); err != nil {
		errs = append(errs, fmt.Errorf("mail: recipient: %w", err))
	}
	switch s := m.Subject; {
	case !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n"):
		errs = append(errs, errors.New("mail: the subject must be one line of text"))
	case strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > MaxSubjectLength:
		errs = append(errs, fmt.Errorf("mail: the subject must have 1 to %d characters", MaxSubjectLength))
	}
	if !utf8.ValidString(m.Body) || utf8.RuneCountInString(m.Body) > MaxBodyLength {
		errs = append(errs, fmt.Errorf("mail: the body must be text of at most %d characters", MaxBodyLength))
	}
	return errors.Join(errs...)
}

// ParseAddress reads an e-mail address as RFC 5322 writes one (net/mail), with or without a
// display name, of at most 254 characters.
func ParseAddress(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an e-mail address", s)
	}
	if len(a.Address) > MaxAddressLength {
		return nil, fmt.Errorf("the address has more than %d characters", MaxAddressLength)
	}
	return a, nil
}
