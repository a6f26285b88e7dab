package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
)

// Sender sends messages through one mail server. It is safe for concurrent use: each message
// goes over a connection of its own.
type Sender struct {
	server  config.SMTP
	from    *mail.Address
	timeout time.Duration
}

// NewSender returns a Sender through the server (config.ParseSMTPURL) from the address
// (config.ParseMailFrom).
func NewSender(server config.SMTP, from *mail.Address) *Sender {
	return &Sender{server: server, from: from, timeout: 30 * time.Second}
}

// Send delivers the message, or returns why not. An error wrapped by jobs.Permanent is one no
// retry can cure: an invalid message, or a recipient or message the server refuses for good
// (5xx); any other (server unreachable, busy, a 4xx answer, refused credentials) may pass later.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return jobs.Permanent(err)
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	to, _ := ParseAddress(m.To) // valid: checked above
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	client, err := gomail.NewClient(s.server.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			return jobs.Permanent(fmt.Errorf("mail: the server refused the mail to %s: %w", to.Address, err))
		}
	}
	return fmt.Errorf("mail: send to %s through %s:%d: %w", to.Address, s.server.Host, s.server.Port, err)
}

func (s *Sender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.server.Port), gomail.WithTimeout(s.timeout)}
	switch s.server.TLS {
	case config.TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case config.TLSStartOptional:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case config.TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.server.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.server.Username), gomail.WithPassword(s.server.Password))
	}
	return opts
}

// Register makes q send the mail jobs through s. A payload that does not decode, or a message
// that is not valid, fails its job at once.
func Register(q *jobs.Queue, s *Sender) error {
	return q.Handle(Kind, func(ctx context.Context, j *jobs.Job) error {
		var m Message
		if err := j.Decode(&m); err != nil {
			return jobs.Permanent(err)
		}
		return s.Send(ctx, m)
	}, nil)
}
