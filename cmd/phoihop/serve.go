package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"

	"golang.org/x/sync/errgroup"

	"phoihop/internal/app"
	"phoihop/internal/auth"
	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/exports"
	"phoihop/internal/httpd"
	"phoihop/internal/imports"
	"phoihop/internal/jobs"
	"phoihop/internal/mail"
	"phoihop/internal/store"
)

// serve runs the web application until ctx ends (SIGINT or SIGTERM), then drains in-flight
// requests and returns nil.
func serve(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("phoihop serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	setUsage(fs, "[serve] [flags]", "Run the web application until SIGINT or SIGTERM, then finish the requests in flight. The\n"+
		"database is migrated at start; the first start creates the admin account.")
	cfg := config.RegisterFlags(fs, e.getenv)
	if err := parseArgs(e, fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	log := cfg.NewLogger(e.stderr)

	// Bind the addresses before anything else, so a port in use is reported at once.
	ln, err := listen("--addr / "+config.EnvAddr, cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = listen("--metrics-addr / "+config.EnvMetricsAddr, cfg.MetricsAddr); err != nil {
			return err
		}
		defer metricsLn.Close()
	}

	st, err := openStore(ctx, log, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ensureAdmin(ctx, log, st, cfg.AdminPassword); err != nil {
		return err
	}

	enf, err := authz.New(ctx, st, log)
	if err != nil {
		return err
	}
	// On PostgreSQL, policy and role changes made by any instance reach this one at once.
	if err := enf.Watch(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	defer enf.Close()
	authSvc, err := auth.NewService(st)
	if err != nil {
		return err
	}

	queue, err := newQueue(log, st, cfg)
	if err != nil {
		return err
	}
	build := readBuild()
	var metrics *httpd.Metrics
	if metricsLn != nil {
		metrics = httpd.NewMetrics(st.DB())
		metrics.SetBuild(build.Version, build.Revision)
		metrics.WatchStorage(func() bool { return st.StorageFailure() == nil })
	}
	runner := imports.NewRunner(st)
	srv, err := app.New(httpd.Deps{Store: st, Auth: authSvc, Authz: enf, Logger: log, Metrics: metrics,
		SecureCookies: cfg.SecureCookies, Version: build.Version, Province: cfg.Province, PublicURL: cfg.PublicURL,
		Imports: runner, ExportThreshold: cfg.ExportThreshold})
	if err != nil {
		return err
	}
	// Jobs outlive the signal: they are stopped after the requests in flight have finished.
	if err := queue.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	if kinds := queue.Kinds(); len(kinds) > 0 {
		log.Info("jobs are run", "kinds", kinds)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return httpd.Serve(gctx, ln, srv.Handler(), log) })
	g.Go(func() error {
		exports.Sweep(gctx, st, exports.SweepEvery, log.With("component", "exports"))
		return nil
	})
	log.Info("phoihop is serving", "url", "http://"+ln.Addr().String()+"/", "database", st.Engine(), "version", build.Version, "revision", build.Revision)
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		g.Go(func() error { return httpd.Serve(gctx, metricsLn, mux, log) })
		log.Info("metrics are served", "url", "http://"+metricsLn.Addr().String()+"/metrics")
	}
	err = g.Wait()
	// The imports' runs outlive the requests that started them: each finishes (or its one
	// transaction rolls back) before the database is closed.
	runner.Wait()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.JobsGrace)
	defer cancel()
	if qerr := queue.Stop(stopCtx); qerr != nil {
		log.Error("the job queue did not stop cleanly", "error", qerr)
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("phoihop stopped")
	return nil
}

// newQueue returns the job queue of the instance with the handlers of the kinds it runs: the
// report exports (at most cfg.ExportWorkers at once), and the mails when a mail server is
// configured (then st enqueues them; without one, none is). A stop waits cfg.JobsGrace for
// the running jobs; those still running then are interrupted and run again at a later start,
// or on another instance.
func newQueue(log *slog.Logger, st *store.Store, cfg *config.Config) (*jobs.Queue, error) {
	jlog := log.With("component", "jobs")
	q := jobs.NewQueue(st.DB(), st.Engine(), jobs.Config{Logger: jlog})
	if err := exports.Register(q, st, exports.Config{Workers: cfg.ExportWorkers, Province: cfg.Province, Logger: jlog}); err != nil {
		return nil, err
	}
	if cfg.SMTPURL == "" {
		log.Info("no mail server configured (" + config.EnvSMTPURL + "): no mail is sent")
		return q, nil
	}
	server, err := config.ParseSMTPURL(cfg.SMTPURL) // checked by cfg.Validate
	if err != nil {
		return nil, usageError{err}
	}
	from, err := config.ParseMailFrom(cfg.MailFrom)
	if err != nil {
		return nil, usageError{err}
	}
	if err := mail.Register(q, mail.NewSender(server, from)); err != nil {
		return nil, err
	}
	st.SendsMail = true
	log.Info("mails are sent", "server", fmt.Sprintf("%s:%d", server.Host, server.Port), "tls", server.TLS, "from", from.String())
	return q, nil
}

// listen binds addr and turns "address already in use" into a plain message naming the setting.
func listen(setting, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, usageError{fmt.Errorf("the address %s (%s) is already in use by another program; stop it or choose another address", addr, setting)}
	}
	if err != nil {
		return nil, usageError{fmt.Errorf("cannot listen on %s (%s): %w", addr, setting, err)}
	}
	return ln, nil
}

// openStore opens the database, checks that it can be written (a read-only SQLite file or a
// PostgreSQL replica stops the start, exit status 1) and applies pending migrations.
func openStore(ctx context.Context, log *slog.Logger, databaseURL string) (*store.Store, error) {
	st, err := store.Open(ctx, databaseURL)
	if err != nil {
		if strings.HasPrefix(err.Error(), "config:") {
			return nil, usageError{err}
		}
		return nil, err
	}
	if err := st.CheckWritable(ctx); err != nil {
		st.Close()
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "database", st.Engine(), "applied", applied)
	}
	return st, nil
}

// ensureAdmin makes the admin account, with the admin role over all agencies, whenever no
// account that is not disabled holds that role (on the first start, and after "phoihop demo"
// or "phoihop user add" made the first accounts): with PHOIHOP_ADMIN_PASSWORD, or with a
// generated password printed once to the log that must be changed at first sign-in. It never
// changes an existing account: when the username admin is taken by one, it logs how to make an
// administrator instead; when an administrator exists and PHOIHOP_ADMIN_PASSWORD is set, it
// logs that the variable was ignored.
func ensureAdmin(ctx context.Context, log *slog.Logger, st *store.Store, password string) error {
	state, err := st.AdminStateOf(ctx)
	if err != nil {
		return err
	}
	if state == store.AdminMissing {
		created, err := createAdmin(ctx, log, st, password)
		if err != nil || created {
			return err
		}
		// Another instance starting at the same moment, or a command, was first.
		if state, err = st.AdminStateOf(ctx); err != nil {
			return err
		}
	}
	switch state {
	case store.AdminPresent:
		if password != "" {
			log.Warn(config.EnvAdminPassword + " is set but was ignored: an account already holds the admin role over all agencies, " +
				"and phoihop never changes an existing account's password. Unset it; to give an account a new password run " +
				"\"phoihop user reset-password USERNAME --password-stdin\"")
		}
	case store.AdminNameTaken:
		msg := "no account holds the admin role over all agencies, and none was created: the username " + store.AdminUsername +
			" belongs to an account that is disabled or lacks that role, and phoihop never changes an existing account. " +
			"Make an administrator with \"phoihop user add --username NAME --role admin --domain '*' --password-stdin\""
		if password != "" {
			msg += "; " + config.EnvAdminPassword + " was not used"
		}
		log.Error(msg)
	}
	return nil
}

// createAdmin creates the admin account with the password given or a generated one, and logs
// it; it reports false when it found an administrator, or the username taken, after all.
func createAdmin(ctx context.Context, log *slog.Logger, st *store.Store, password string) (bool, error) {
	generated := password == "" // config.Validate has checked a given one
	if generated {
		password = auth.GeneratePassword()
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return false, err
	}
	created, err := st.CreateFirstAdmin(ctx, hash, generated)
	if err != nil || !created {
		return false, err
	}
	if generated {
		log.Warn("created the admin account with a generated password, shown only this once; it must be changed at first sign-in",
			"username", store.AdminUsername, "password", password)
	} else {
		log.Info("created the admin account with the password of "+config.EnvAdminPassword, "username", store.AdminUsername)
	}
	return true, nil
}
