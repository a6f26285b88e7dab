// Package config reads phoihop's configuration from command-line flags with PHOIHOP_*
// environment fallbacks (DESIGN.md "Interfaces") and checks every value before start.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"phoihop/internal/phoihop"
)

// Defaults.
const (
	DefaultDatabaseURL = "sqlite://data/phoihop.db"
	DefaultAddr        = "127.0.0.1:8080"
	DefaultProvince    = "Bình Phước"
)

// Config is the configuration of one phoihop process.
type Config struct {
	DatabaseURL   string // sqlite://PATH or postgres://…
	Addr          string // listen address of the application
	AdminPassword string // password of the admin account made on first start; "" generates one
	SecureCookies bool   // cookies get the Secure attribute (served over HTTPS)
	MetricsAddr   string // listen address of /metrics; "" turns it off
	Province      string // province named in the summary report's heading and date line
	SMTPURL       string // mail server (ParseSMTPURL); "" sends no mail
	MailFrom      string // sender of the mails (ParseMailFrom)
	PublicURL     string // the address users open phoihop at, for the links in mails; "" gives paths only
	LogFormat     string // LogText or LogJSON
	// ExportWorkers is how many report workbooks an instance writes at once as jobs.
	ExportWorkers int
	// ExportThreshold is the number of detail rows above which the report page writes the
	// workbook as a job, with a progress page, instead of during the request.
	ExportThreshold int
	// JobsGrace is how long a stop waits for the running jobs before giving them back to
	// the queue.
	JobsGrace time.Duration

	envErrs []error // environment values that could not be read, reported by Validate
}

// Env names of the settings.
const (
	EnvDatabaseURL   = "PHOIHOP_DATABASE_URL"
	EnvAddr          = "PHOIHOP_ADDR"
	EnvAdminPassword = "PHOIHOP_ADMIN_PASSWORD"
	EnvSecureCookies = "PHOIHOP_SECURE_COOKIES"
	EnvMetricsAddr   = "PHOIHOP_METRICS_ADDR"
	EnvProvince      = "PHOIHOP_PROVINCE"
	EnvSMTPURL       = "PHOIHOP_SMTP_URL"
	EnvMailFrom      = "PHOIHOP_MAIL_FROM"
	EnvPublicURL     = "PHOIHOP_PUBLIC_URL"
	EnvLogFormat     = "PHOIHOP_LOG_FORMAT"
	EnvExportWorkers = "PHOIHOP_EXPORT_WORKERS"
	EnvExportRows    = "PHOIHOP_EXPORT_THRESHOLD"
	EnvJobsGrace     = "PHOIHOP_JOBS_GRACE"
)

// Log formats.
const (
	LogText = "text" // slog's key=value lines, the default
	LogJSON = "json" // one JSON object per line, for log collectors
)

// Defaults of the exports and jobs settings.
const (
	DefaultExportWorkers   = 2
	DefaultExportThreshold = 50_000
	DefaultJobsGrace       = 20 * time.Second
)

// RegisterFlags declares the flags of the settings on fs with their environment fallbacks as
// defaults (getenv is os.Getenv in production) and returns the Config they fill when fs is
// parsed. A bad value in the environment is reported by Validate, not here.
func RegisterFlags(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DatabaseURL, "database-url", env(EnvDatabaseURL, DefaultDatabaseURL),
		"database: sqlite://PATH or postgres://USER@HOST/DB (env "+EnvDatabaseURL+")")
	fs.StringVar(&c.Addr, "addr", env(EnvAddr, DefaultAddr), "listen address (env "+EnvAddr+")")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env(EnvMetricsAddr, ""),
		"listen address of Prometheus /metrics, off when empty (env "+EnvMetricsAddr+")")
	fs.StringVar(&c.Province, "province", env(EnvProvince, DefaultProvince),
		"province named in the summary report's heading and date line (env "+EnvProvince+")")
	fs.StringVar(&c.SMTPURL, "smtp-url", env(EnvSMTPURL, ""),
		"mail server: smtp://USER:PASSWORD@HOST:587 (STARTTLS) or smtps://USER:PASSWORD@HOST:465; no mail when empty (env "+EnvSMTPURL+"; prefer the environment, which other users cannot list)")
	fs.StringVar(&c.MailFrom, "mail-from", env(EnvMailFrom, DefaultMailFrom),
		"sender address of the mails (env "+EnvMailFrom+")")
	fs.StringVar(&c.PublicURL, "public-url", env(EnvPublicURL, ""),
		"address users open phoihop at, such as https://phoihop.example.vn, for the links in mails (env "+EnvPublicURL+")")
	fs.StringVar(&c.LogFormat, "log-format", env(EnvLogFormat, LogText),
		"format of the log on standard error: text or json (env "+EnvLogFormat+")")
	secure, err := parseEnvBool(getenv(EnvSecureCookies))
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("config: %s=%q is not a boolean; use true or false", EnvSecureCookies, getenv(EnvSecureCookies)))
	}
	fs.BoolVar(&c.SecureCookies, "secure-cookies", secure, "mark cookies Secure, for HTTPS (env "+EnvSecureCookies+")")
	intEnv := func(name string, def int) int {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("config: %s=%q is not a whole number", name, v))
			return def
		}
		return n
	}
	fs.IntVar(&c.ExportWorkers, "export-workers", intEnv(EnvExportWorkers, DefaultExportWorkers),
		"report workbooks written at once by this instance, as jobs (env "+EnvExportWorkers+")")
	fs.IntVar(&c.ExportThreshold, "export-threshold", intEnv(EnvExportRows, DefaultExportThreshold),
		"detail rows above which the report page writes the workbook as a job with a progress page (env "+EnvExportRows+")")
	grace := DefaultJobsGrace
	if v := strings.TrimSpace(getenv(EnvJobsGrace)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("config: %s=%q is not a duration such as 20s or 1m", EnvJobsGrace, v))
		} else {
			grace = d
		}
	}
	fs.DurationVar(&c.JobsGrace, "jobs-grace", grace,
		"how long a stop waits for running jobs before giving them back to the queue (env "+EnvJobsGrace+")")
	c.AdminPassword = getenv(EnvAdminPassword)
	return c
}

func parseEnvBool(s string) (bool, error) {
	if s = strings.TrimSpace(s); s == "" {
		return false, nil
	}
	return strconv.ParseBool(s)
}

// Load parses args (without the program and subcommand names) into a Config with the
// environment fallbacks and validates it.
func Load(args []string, getenv func(string) string) (*Config, error) {
	fs := flag.NewFlagSet("phoihop", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := RegisterFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks every setting and returns one error listing each bad value in plain words.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if _, _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
		errs = append(errs, err)
	}
	if err := validateAddr("--addr / "+EnvAddr, c.Addr); err != nil {
		errs = append(errs, err)
	}
	if c.MetricsAddr != "" {
		if err := validateAddr("--metrics-addr / "+EnvMetricsAddr, c.MetricsAddr); err != nil {
			errs = append(errs, err)
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("config: the metrics address %s must differ from the application address", c.MetricsAddr))
		}
	}
	if p := strings.TrimSpace(c.Province); p == "" || !utf8.ValidString(p) || utf8.RuneCountInString(p) > 60 {
		errs = append(errs, fmt.Errorf("config: --province / %s %q must be a place name of 1 to 60 characters", EnvProvince, c.Province))
	}
	if c.SMTPURL != "" {
		if _, err := ParseSMTPURL(c.SMTPURL); err != nil {
			errs = append(errs, fmt.Errorf("config: --smtp-url / %s: %s", EnvSMTPURL, strings.TrimPrefix(err.Error(), "config: ")))
		}
	}
	if _, err := ParseMailFrom(c.MailFrom); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if err := validatePublicURL(c.PublicURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.LogFormat != LogText && c.LogFormat != LogJSON {
		errs = append(errs, fmt.Errorf("config: --log-format / %s %q: give text or json", EnvLogFormat, c.LogFormat))
	}
	if c.ExportWorkers < 1 || c.ExportWorkers > 64 {
		errs = append(errs, fmt.Errorf("config: --export-workers / %s %d must be from 1 to 64", EnvExportWorkers, c.ExportWorkers))
	}
	if c.ExportThreshold < 1 {
		errs = append(errs, fmt.Errorf("config: --export-threshold / %s %d must be at least 1", EnvExportRows, c.ExportThreshold))
	}
	if c.JobsGrace < 0 {
		errs = append(errs, fmt.Errorf("config: --jobs-grace / %s %s must not be negative", EnvJobsGrace, c.JobsGrace))
	}
	if c.AdminPassword != "" {
		if err := phoihop.ValidatePassword(c.AdminPassword); err != nil {
			errs = append(errs, fmt.Errorf("config: %s: %s", EnvAdminPassword, err.(*phoihop.Error).Fields["password"]))
		}
	}
	return errors.Join(errs...)
}

// NewLogger returns the logger of the process, writing to w in the configured format (text
// unless LogFormat is LogJSON).
func (c *Config) NewLogger(w io.Writer) *slog.Logger {
	if c.LogFormat == LogJSON {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func validateAddr(name, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("config: %s %q is not an address of the form HOST:PORT", name, addr)
	}
	if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		return fmt.Errorf("config: %s %q: %q is neither an IP address nor a host name", name, addr, host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("config: %s %q: the port must be a number from 0 to 65535", name, addr)
	}
	return nil
}

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// Database engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ParseDatabaseURL returns the engine of a database URL and what its driver is given: the
// file path for SQLite, the URL itself for PostgreSQL. Unknown schemes and empty paths are
// errors that say what is accepted.
func ParseDatabaseURL(raw string) (engine, target string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "", "", fmt.Errorf("config: database URL %q is not a URL; use sqlite://PATH or postgres://USER@HOST/DB", raw)
	}
	switch u.Scheme {
	case "sqlite", "sqlite3":
		path := raw[len(u.Scheme):] // url.Parse lowers the scheme; raw keeps the user's case
		if !strings.HasPrefix(path, "://") {
			return "", "", fmt.Errorf("config: database URL %q: write it sqlite://PATH", raw)
		}
		path = path[len("://"):]
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path == "" {
			return "", "", fmt.Errorf("config: database URL %q names no file; use sqlite://PATH", raw)
		}
		return SQLite, path, nil
	case "postgres", "postgresql":
		if u.Host == "" && u.Query().Get("host") == "" {
			return "", "", fmt.Errorf("config: database URL %q names no host; use postgres://USER@HOST:PORT/DB", raw)
		}
		return Postgres, raw, nil
	}
	return "", "", fmt.Errorf("config: database URL %q has the unknown scheme %q; use sqlite://PATH or postgres://USER@HOST/DB", raw, u.Scheme)
}

// PrepareDataDir creates the folder of an SQLite database file and checks that it can be
// written, so a bad path is reported at start and not on the first write.
func PrepareDataDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("config: cannot create the data folder %s: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".phoihop-write-check-*")
	if err != nil {
		return fmt.Errorf("config: cannot write in the data folder %s: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// validatePublicURL checks the address users open phoihop at: an http or https URL with a
// host and nothing after the path.
func validatePublicURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("config: --public-url / %s %q must be an address such as https://phoihop.example.vn", EnvPublicURL, s)
	}
	return nil
}
