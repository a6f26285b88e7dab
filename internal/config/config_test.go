package config_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"phoihop/internal/config"
)

// fakeEnv returns a getenv that looks names up in m.
func fakeEnv(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(nil, fakeEnv(nil))
	if err != nil {
		t.Fatalf("Load(no flags, no env): %v", err)
	}
	if c.DatabaseURL != "sqlite://data/phoihop.db" {
		t.Fatalf("DatabaseURL = %q, want %q", c.DatabaseURL, "sqlite://data/phoihop.db")
	}
	if c.Addr != "127.0.0.1:8080" {
		t.Fatalf("Addr = %q, want %q", c.Addr, "127.0.0.1:8080")
	}
	if c.MetricsAddr != "" {
		t.Fatalf("MetricsAddr = %q, want %q (metrics off)", c.MetricsAddr, "")
	}
	if c.SecureCookies {
		t.Fatalf("SecureCookies = true, want false")
	}
	if c.AdminPassword != "" {
		t.Fatalf("AdminPassword = %q, want %q (generated on first start)", c.AdminPassword, "")
	}
}

func TestLoadEnvAndFlags(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		env   map[string]string
		field func(*config.Config) string
		want  string
	}{
		{"database url from env", nil, map[string]string{config.EnvDatabaseURL: "postgres://u@db.example/phoihop"},
			func(c *config.Config) string { return c.DatabaseURL }, "postgres://u@db.example/phoihop"},
		{"addr from env", nil, map[string]string{config.EnvAddr: "0.0.0.0:9000"},
			func(c *config.Config) string { return c.Addr }, "0.0.0.0:9000"},
		{"admin password from env", nil, map[string]string{config.EnvAdminPassword: "Mật khẩu quản trị 2016"},
			func(c *config.Config) string { return c.AdminPassword }, "Mật khẩu quản trị 2016"},
		{"secure cookies from env", nil, map[string]string{config.EnvSecureCookies: "true"},
			func(c *config.Config) string { return boolString(c.SecureCookies) }, "true"},
		{"secure cookies from env, 1", nil, map[string]string{config.EnvSecureCookies: " 1 "},
			func(c *config.Config) string { return boolString(c.SecureCookies) }, "true"},
		{"secure cookies false from env", nil, map[string]string{config.EnvSecureCookies: "false"},
			func(c *config.Config) string { return boolString(c.SecureCookies) }, "false"},
		{"metrics addr from env", nil, map[string]string{config.EnvMetricsAddr: "127.0.0.1:9090"},
			func(c *config.Config) string { return c.MetricsAddr }, "127.0.0.1:9090"},

		{"database url flag over env", []string{"--database-url", "sqlite:///var/lib/phoihop/p.db"},
			map[string]string{config.EnvDatabaseURL: "postgres://u@db.example/phoihop"},
			func(c *config.Config) string { return c.DatabaseURL }, "sqlite:///var/lib/phoihop/p.db"},
		{"addr flag over env", []string{"--addr", "127.0.0.1:8181"}, map[string]string{config.EnvAddr: "0.0.0.0:9000"},
			func(c *config.Config) string { return c.Addr }, "127.0.0.1:8181"},
		{"secure cookies flag over env", []string{"--secure-cookies=false"}, map[string]string{config.EnvSecureCookies: "true"},
			func(c *config.Config) string { return boolString(c.SecureCookies) }, "false"},
		{"secure cookies flag without env", []string{"--secure-cookies"}, nil,
			func(c *config.Config) string { return boolString(c.SecureCookies) }, "true"},
		{"metrics addr flag over env", []string{"--metrics-addr", "localhost:9191"},
			map[string]string{config.EnvMetricsAddr: "127.0.0.1:9090"},
			func(c *config.Config) string { return c.MetricsAddr }, "localhost:9191"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(tc.args, fakeEnv(tc.env))
			if err != nil {
				t.Fatalf("Load(%q, %v): %v", tc.args, tc.env, err)
			}
			if got := tc.field(c); got != tc.want {
				t.Fatalf("value = %q, want %q", got, tc.want)
			}
		})
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestLoadRejectsBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the error, in plain words
	}{
		{"unknown scheme", []string{"--database-url", "mysql://u@h/db"}, nil,
			[]string{`unknown scheme "mysql"`, "sqlite://PATH", "postgres://"}},
		{"unknown scheme from env", nil, map[string]string{config.EnvDatabaseURL: "mysql://u@h/db"},
			[]string{`unknown scheme "mysql"`}},
		{"bare path without scheme", []string{"--database-url", "/var/lib/phoihop.db"}, nil,
			[]string{`"/var/lib/phoihop.db" is not a URL`, "sqlite://PATH"}},
		{"sqlite without path", []string{"--database-url", "sqlite://"}, nil,
			[]string{"names no file", "sqlite://PATH"}},
		{"sqlite with only a query", []string{"--database-url", "sqlite://?mode=rwc"}, nil,
			[]string{"names no file"}},
		{"postgres without host", []string{"--database-url", "postgres:///phoihop"}, nil,
			[]string{"names no host"}},
		{"address without port", []string{"--addr", "127.0.0.1"}, nil,
			[]string{"--addr", `"127.0.0.1" is not an address of the form HOST:PORT`}},
		{"address without port from env", nil, map[string]string{config.EnvAddr: "localhost"},
			[]string{config.EnvAddr, "HOST:PORT"}},
		{"port 70000", []string{"--addr", "127.0.0.1:70000"}, nil,
			[]string{"the port must be a number from 0 to 65535"}},
		{"port abc", []string{"--addr", "127.0.0.1:abc"}, nil,
			[]string{"the port must be a number from 0 to 65535"}},
		{"bad host", []string{"--addr", "exa mple:80"}, nil,
			[]string{"neither an IP address nor a host name"}},
		{"metrics port abc", []string{"--metrics-addr", "127.0.0.1:abc"}, nil,
			[]string{"--metrics-addr", "the port must be a number"}},
		{"metrics address equal to the app address", []string{"--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080"}, nil,
			[]string{"the metrics address 127.0.0.1:8080 must differ from the application address"}},
		{"secure cookies maybe", nil, map[string]string{config.EnvSecureCookies: "maybe"},
			[]string{`PHOIHOP_SECURE_COOKIES="maybe" is not a boolean`, "true or false"}},
		{"log format xml", nil, map[string]string{config.EnvLogFormat: "xml"},
			[]string{config.EnvLogFormat, `"xml"`, "text or json"}},
		{"admin password too short", nil, map[string]string{config.EnvAdminPassword: "short"},
			[]string{config.EnvAdminPassword, "at least 8 characters"}},
		{"admin password of 7 letters with diacritics", nil, map[string]string{config.EnvAdminPassword: "mậtkhẩu"},
			[]string{config.EnvAdminPassword, "at least 8 characters"}},
		{"mail server of another scheme", nil, map[string]string{config.EnvSMTPURL: "imap://mail.example.vn"},
			[]string{"--smtp-url / PHOIHOP_SMTP_URL", `the scheme "imap" is neither smtp nor smtps`, "smtps://"}},
		{"mail server without host", []string{"--smtp-url", "smtp://:587"}, nil,
			[]string{"--smtp-url", "names no host"}},
		{"mail server port 0", []string{"--smtp-url", "smtps://mail.example.vn:0"}, nil,
			[]string{"the port must be a number from 1 to 65535"}},
		{"mail server with an unknown setting", []string{"--smtp-url", "smtp://mail.example.vn?tls=1"}, nil,
			[]string{`unknown setting "tls"`}},
		{"mail server starttls maybe", []string{"--smtp-url", "smtp://mail.example.vn?starttls=maybe"}, nil,
			[]string{`starttls="maybe" is none of required, optional or off`}},
		{"password in clear", []string{"--smtp-url", "smtp://thu:bimat@mail.example.vn:25?starttls=off"}, nil,
			[]string{"the password would cross the network in clear"}},
		{"mail sender not an address", nil, map[string]string{config.EnvMailFrom: "phoihop"},
			[]string{"--mail-from / PHOIHOP_MAIL_FROM", `"phoihop" is not an e-mail address`}},
		{"public address without a scheme", []string{"--public-url", "phoihop.example.vn"}, nil,
			[]string{"--public-url / PHOIHOP_PUBLIC_URL", "https://phoihop.example.vn"}},
		{"public address with a query", nil, map[string]string{config.EnvPublicURL: "https://phoihop.example.vn/?a=1"},
			[]string{"--public-url / PHOIHOP_PUBLIC_URL"}},
		{"unknown flag", []string{"--port", "80"}, nil,
			[]string{"flag provided but not defined: -port"}},
		{"several at once", []string{"--database-url", "mysql://h/db", "--addr", "127.0.0.1:70000"},
			map[string]string{config.EnvSecureCookies: "maybe", config.EnvAdminPassword: "1234"},
			[]string{`unknown scheme "mysql"`, "the port must be a number from 0 to 65535",
				"PHOIHOP_SECURE_COOKIES", "at least 8 characters"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(tc.args, fakeEnv(tc.env))
			if err == nil {
				t.Fatalf("Load(%q, %v) = %+v, want an error", tc.args, tc.env, c)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("Load(%q, %v) error = %q, want it to contain %q", tc.args, tc.env, err, w)
				}
			}
		})
	}
}

func TestLoadAcceptsEdgeValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"port 0", []string{"--addr", "127.0.0.1:0"}},
		{"port 65535", []string{"--addr", "127.0.0.1:65535"}},
		{"all interfaces", []string{"--addr", ":8080"}},
		{"IPv6", []string{"--addr", "[::1]:8080"}},
		{"host name", []string{"--addr", "phoihop.local:8080"}},
		{"metrics on another port", []string{"--metrics-addr", "127.0.0.1:9090"}},
		{"admin password of 8 characters", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := fakeEnv(map[string]string{config.EnvAdminPassword: "mậtkhẩu1"})
			if _, err := config.Load(tc.args, env); err != nil {
				t.Fatalf("Load(%q): %v", tc.args, err)
			}
		})
	}
}

func TestLoadMailSettings(t *testing.T) {
	c, err := config.Load(nil, fakeEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "" || c.MailFrom != "phoihop@localhost" {
		t.Fatalf("defaults: SMTPURL = %q, MailFrom = %q; want no mail server and phoihop@localhost", c.SMTPURL, c.MailFrom)
	}
	env := fakeEnv(map[string]string{config.EnvSMTPURL: "smtps://thu@mail.example.vn", config.EnvMailFrom: "Phối hợp <phoihop@example.vn>"})
	if c, err = config.Load(nil, env); err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtps://thu@mail.example.vn" || c.MailFrom != "Phối hợp <phoihop@example.vn>" {
		t.Fatalf("from env: SMTPURL = %q, MailFrom = %q", c.SMTPURL, c.MailFrom)
	}
	if c, err = config.Load([]string{"--smtp-url", "smtp://127.0.0.1:2525?starttls=off", "--mail-from", "tin@example.vn"}, env); err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtp://127.0.0.1:2525?starttls=off" || c.MailFrom != "tin@example.vn" {
		t.Fatalf("flags over env: SMTPURL = %q, MailFrom = %q", c.SMTPURL, c.MailFrom)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want config.SMTP
	}{
		{"smtp://mail.example.vn", config.SMTP{Host: "mail.example.vn", Port: 587, TLS: config.TLSStartRequired}},
		{"smtp://thu%40bcd:m%E1%BA%ADt%3Akh%E1%BA%A9u@mail.example.vn:2587/", config.SMTP{Host: "mail.example.vn", Port: 2587,
			TLS: config.TLSStartRequired, Username: "thu@bcd", Password: "mật:khẩu"}},
		{"smtp://u:p@mail.example.vn?starttls=1", config.SMTP{Host: "mail.example.vn", Port: 587, TLS: config.TLSStartRequired, Username: "u", Password: "p"}},
		{"smtp://u:p@mail.example.vn?starttls=optional", config.SMTP{Host: "mail.example.vn", Port: 587, TLS: config.TLSStartOptional, Username: "u", Password: "p"}},
		{"smtp://127.0.0.1:25?starttls=off", config.SMTP{Host: "127.0.0.1", Port: 25, TLS: config.TLSNone}},
		{"smtps://u:p@[::1]", config.SMTP{Host: "::1", Port: 465, TLS: config.TLSImplicit, Username: "u", Password: "p"}},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := config.ParseSMTPURL(tc.raw)
			if err != nil {
				t.Fatalf("ParseSMTPURL(%q): %v", tc.raw, err)
			}
			if got != tc.want {
				t.Fatalf("ParseSMTPURL(%q) = %+v, want %+v", tc.raw, got, tc.want)
			}
		})
	}
}

func TestParseSMTPURLNeverShowsThePassword(t *testing.T) {
	for _, raw := range []string{
		"smtp://thu:b1m4t@mail.example.vn?starttls=maybe",
		"smtps://thu:b1m4t@mail.example.vn:99999",
		"smtp://thu:b1m4t@@mail example.vn",
		"smtp://thu:b1m4t@mail.example.vn:25?starttls=off",
	} {
		_, err := config.ParseSMTPURL(raw)
		if err == nil {
			t.Fatalf("ParseSMTPURL(%q) succeeded, want an error", raw)
		}
		if strings.Contains(err.Error(), "b1m4t") {
			t.Fatalf("ParseSMTPURL(%q) error = %q: it shows the password", raw, err)
		}
	}
}

func TestParseDatabaseURL(t *testing.T) {
	for _, tc := range []struct {
		raw, engine, target string
	}{
		{"sqlite:///abs/path/phoihop.db", config.SQLite, "/abs/path/phoihop.db"},
		{"sqlite://rel/path.db", config.SQLite, "rel/path.db"},
		{"sqlite://x.db?mode=rwc", config.SQLite, "x.db"},
		{"sqlite3://data/phoihop.db", config.SQLite, "data/phoihop.db"},
		{"SQLite://Data/X.db", config.SQLite, "Data/X.db"},
		{config.DefaultDatabaseURL, config.SQLite, "data/phoihop.db"},
		{"postgres://u@h/db", config.Postgres, "postgres://u@h/db"},
		{"postgres://u:p@h:5432/db?sslmode=disable", config.Postgres, "postgres://u:p@h:5432/db?sslmode=disable"},
		{"postgresql://u@h/db", config.Postgres, "postgresql://u@h/db"},
		{"postgres:///db?host=/run/postgresql", config.Postgres, "postgres:///db?host=/run/postgresql"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			engine, target, err := config.ParseDatabaseURL(tc.raw)
			if err != nil {
				t.Fatalf("ParseDatabaseURL(%q): %v", tc.raw, err)
			}
			if engine != tc.engine {
				t.Fatalf("engine = %q, want %q", engine, tc.engine)
			}
			if target != tc.target {
				t.Fatalf("target = %q, want %q", target, tc.target)
			}
		})
	}
}

func TestParseDatabaseURLErrors(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
	}{
		{"", "is not a URL"},
		{"data/phoihop.db", "is not a URL"},
		{"/abs/phoihop.db", "is not a URL"},
		{"mysql://u@h/db", `unknown scheme "mysql"`},
		{"sqlite://", "names no file"},
		{"postgres:///db", "names no host"},
		{"postgresql://", "names no host"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			engine, target, err := config.ParseDatabaseURL(tc.raw)
			if err == nil {
				t.Fatalf("ParseDatabaseURL(%q) = %q, %q, want an error", tc.raw, engine, target)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseDatabaseURL(%q) error = %q, want it to contain %q", tc.raw, err, tc.want)
			}
		})
	}
}

func TestPrepareDataDir(t *testing.T) {
	t.Run("creates nested folders", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b", "c")
		if err := config.PrepareDataDir(filepath.Join(dir, "phoihop.db")); err != nil {
			t.Fatalf("PrepareDataDir: %v", err)
		}
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatalf("stat %s: %v", dir, err)
		}
		if !fi.IsDir() {
			t.Fatalf("%s is not a folder", dir)
		}
		left, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("PrepareDataDir left %d file(s) behind, e.g. %q, want none", len(left), left[0].Name())
		}
	})
	t.Run("existing folder", func(t *testing.T) {
		if err := config.PrepareDataDir(filepath.Join(t.TempDir(), "phoihop.db")); err != nil {
			t.Fatalf("PrepareDataDir: %v", err)
		}
	})
	for _, tc := range []struct {
		name string
		path func(file string) string
	}{
		{"the parent is a file", func(file string) string { return filepath.Join(file, "phoihop.db") }},
		{"an ancestor is a file", func(file string) string { return filepath.Join(file, "sub", "phoihop.db") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "not-a-folder")
			if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			err := config.PrepareDataDir(tc.path(file))
			if err == nil {
				t.Fatalf("PrepareDataDir(%q) = nil, want an error", tc.path(file))
			}
			if !strings.Contains(err.Error(), "data folder") {
				t.Fatalf("PrepareDataDir error = %q, want it to contain %q", err, "data folder")
			}
		})
	}
}

// TestLogFormat checks that the log is text by default and one JSON object per line with
// PHOIHOP_LOG_FORMAT=json.
func TestLogFormat(t *testing.T) {
	c, err := config.Load(nil, fakeEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	c.NewLogger(&buf).Info("phoihop is serving", "database", "sqlite")
	if got := buf.String(); !strings.Contains(got, `msg="phoihop is serving" database=sqlite`) {
		t.Errorf("default log line = %q, want slog's text format", got)
	}
	c, err = config.Load(nil, fakeEnv(map[string]string{config.EnvLogFormat: "json"}))
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	c.NewLogger(&buf).Info("phoihop is serving", "database", "sqlite")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("json log line %q: %v", buf.String(), err)
	}
	if line["msg"] != "phoihop is serving" || line["database"] != "sqlite" || line["level"] != "INFO" {
		t.Errorf("json log line = %v", line)
	}
}
