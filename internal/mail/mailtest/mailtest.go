// Package mailtest starts a real SMTP server for tests: Debian's python3-aiosmtpd on a
// loopback port, with a small handler that records every message it accepts. Tests that need
// it run when PHOIHOP_TEST_SMTP is set, skip with a message saying so when it is not, and fail
// when it is set and the server cannot start.
package mailtest

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// EnvSwitch is the switch of the tests that send mail to a real SMTP server.
const EnvSwitch = "PHOIHOP_TEST_SMTP"

// recorder is the aiosmtpd handler that writes every message accepted to a folder.
//
//go:embed smtpd_recorder.py
var recorder []byte

// Server is an aiosmtpd server on a loopback port, recording what it receives.
type Server struct {
	Port int

	t   testing.TB
	dir string
	cmd *exec.Cmd
	log *os.File
}

// Require skips the test unless PHOIHOP_TEST_SMTP is set.
func Require(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvSwitch) == "" {
		t.Skipf("SMTP tests skipped: set %s=1 with Debian's python3-aiosmtpd installed to run them", EnvSwitch)
	}
}

// FreePort returns a loopback port free at the moment.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start starts the server on port (0: a free one) and waits until it answers; it is stopped
// when the test ends. Without the switch it skips the test; with it, a server that cannot
// start fails the test. Recipients at reject.invalid are refused for good (550), those at
// later.invalid for now (451); every other message is accepted and recorded.
func Start(t testing.TB, port int) *Server {
	t.Helper()
	Require(t)
	if port == 0 {
		port = FreePort(t)
	}
	s := &Server{t: t, Port: port, dir: t.TempDir()}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// URL is the PHOIHOP_SMTP_URL of the server: plain SMTP on loopback.
func (s *Server) URL() string { return URL(s.Port) }

// URL is the PHOIHOP_SMTP_URL of a server on the loopback port, plain SMTP.
func URL(port int) string { return "smtp://127.0.0.1:" + strconv.Itoa(port) + "?starttls=off" }

// python is Debian's interpreter, where python3-aiosmtpd installs, or else the first python3.
func python() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

func (s *Server) start() {
	t := s.t
	t.Helper()
	handlerDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(handlerDir, "smtpd_recorder.py"), recorder, 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.CreateTemp(t.TempDir(), "aiosmtpd-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:"+strconv.Itoa(s.Port),
		"-c", "smtpd_recorder.Recorder", s.dir)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+handlerDir)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s is set but the SMTP server does not start (install Debian's python3-aiosmtpd): %v", EnvSwitch, err)
	}
	s.cmd, s.log = cmd, log
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.Port), time.Second)
		if err == nil {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			banner := make([]byte, 3)
			_, rerr := io.ReadFull(c, banner)
			c.Close()
			if rerr == nil && string(banner) == "220" {
				return
			}
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("%s is set but the SMTP server exited at start (install Debian's python3-aiosmtpd):\n%s", EnvSwitch, out)
		default:
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("%s is set but the SMTP server does not answer on port %d:\n%s", EnvSwitch, s.Port, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the server; what it received stays readable.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Process.Wait()
	s.cmd = nil
	s.log.Close()
}

// Message is a message as the server got it.
type Message struct {
	MailFrom string
	RcptTos  []string
	Header   mail.Header
	Subject  string // decoded
	Body     string // decoded
}

// Received returns the messages received so far, oldest first.
func (s *Server) Received() []Message {
	t := s.t
	t.Helper()
	names, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var out []Message
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			MailFrom string   `json:"mail_from"`
			RcptTos  []string `json:"rcpt_tos"`
			Data     string   `json:"data"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := base64.StdEncoding.DecodeString(rec.Data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, decodeMessage(t, rec.MailFrom, rec.RcptTos, data))
	}
	return out
}

// WaitReceived waits until the server has received n messages, or timeout has passed, and
// returns what it received.
func (s *Server) WaitReceived(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Received()
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func decodeMessage(t testing.TB, from string, rcpts []string, data []byte) Message {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("the message received does not parse: %v\n%s", err, data)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject %q does not decode: %v", m.Header.Get("Subject"), err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Fatalf("Content-Type = %q (%v), want text/plain in UTF-8", m.Header.Get("Content-Type"), err)
	}
	var body io.Reader = m.Body
	switch cte := strings.ToLower(m.Header.Get("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(m.Body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, m.Body)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("unexpected Content-Transfer-Encoding %q", cte)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("the body does not decode: %v", err)
	}
	return Message{MailFrom: from, RcptTos: rcpts, Header: m.Header, Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n")}
}
