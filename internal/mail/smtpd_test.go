package mail_test

import (
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

// EnvTestSMTP is the switch of the tests that send mail to a real SMTP server: Debian's
// python3-aiosmtpd, started by the test.
const EnvTestSMTP = "PHOIHOP_TEST_SMTP"

// smtpServer is an aiosmtpd server on a loopback port, recording what it receives.
type smtpServer struct {
	t    *testing.T
	Port int
	dir  string
	cmd  *exec.Cmd
	log  *os.File
}

// requireSMTP skips the test unless PHOIHOP_TEST_SMTP is set.
func requireSMTP(t *testing.T) {
	t.Helper()
	if os.Getenv(EnvTestSMTP) == "" {
		t.Skipf("SMTP tests skipped: set %s=1 with Debian's python3-aiosmtpd installed to run them", EnvTestSMTP)
	}
}

// freePort returns a loopback port free at the moment.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startSMTP starts the server on port (0: a free one) and waits until it answers; it is
// stopped when the test ends. With the switch set, a server that cannot start fails the test.
func startSMTP(t *testing.T, port int) *smtpServer {
	t.Helper()
	requireSMTP(t)
	if port == 0 {
		port = freePort(t)
	}
	s := &smtpServer{t: t, Port: port, dir: t.TempDir()}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// python is Debian's interpreter, where python3-aiosmtpd installs, or else the first python3.
func python() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

func (s *smtpServer) start() {
	t := s.t
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	log, err := os.CreateTemp(t.TempDir(), "aiosmtpd-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:"+strconv.Itoa(s.Port),
		"-c", "smtpd_recorder.Recorder", s.dir)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+testdata)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s is set but the SMTP server does not start (install Debian's python3-aiosmtpd): %v", EnvTestSMTP, err)
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
			t.Fatalf("%s is set but the SMTP server exited at start (install Debian's python3-aiosmtpd):\n%s", EnvTestSMTP, out)
		default:
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("%s is set but the SMTP server does not answer on port %d:\n%s", EnvTestSMTP, s.Port, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the server; what it received stays readable.
func (s *smtpServer) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Process.Wait()
	s.cmd = nil
	s.log.Close()
}

// received is a message as the server got it.
type received struct {
	MailFrom string
	RcptTos  []string
	Header   mail.Header
	Subject  string // decoded
	Body     string // decoded
}

// Received returns the messages received so far, oldest first.
func (s *smtpServer) Received() []received {
	t := s.t
	t.Helper()
	names, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var out []received
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

// waitReceived waits until the server has received n messages and returns them.
func (s *smtpServer) waitReceived(n int, timeout time.Duration) []received {
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

func decodeMessage(t *testing.T, from string, rcpts []string, data []byte) received {
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
	return received{MailFrom: from, RcptTos: rcpts, Header: m.Header, Subject: subject,
		Body: strings.ReplaceAll(string(text), "\r\n", "\n")}
}
