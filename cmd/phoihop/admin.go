package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"phoihop/internal/auth"
	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// newFlagSet returns a flag set for a subcommand with the --database-url flag every
// subcommand shares; its usage shows the synopsis and the purpose before the flags.
func newFlagSet(e env, name, synopsis, purpose string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("phoihop "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	setUsage(fs, synopsis, purpose)
	def := e.getenv(config.EnvDatabaseURL)
	if def == "" {
		def = config.DefaultDatabaseURL
	}
	db := fs.String("database-url", def, "database: sqlite://PATH or postgres://USER@HOST/DB (env "+config.EnvDatabaseURL+")")
	return fs, db
}

// parseArgs parses args with fs. Asked for help (-h, --help), it prints the command's usage
// to standard output and returns flag.ErrHelp, which run turns into success (exit status 0).
// A bad flag is a usage error (exit status 2), with the message and the usage on standard
// error, as the flag package prints them.
func parseArgs(e env, fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	if usage == nil {
		usage = func() {
			fmt.Fprintf(fs.Output(), "Usage of %s:\n", fs.Name())
			fs.PrintDefaults()
		}
	}
	// The flag package shows the usage on its own output for help and for mistakes alike;
	// hold it back to show it where it belongs.
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(e.stdout)
		fs.Usage()
		fs.SetOutput(e.stderr)
		return flag.ErrHelp
	case err != nil:
		fs.Usage()
		return usageError{err}
	}
	return nil
}

// parseFlags parses args, refusing stray arguments, and checks the database URL.
func parseFlags(e env, fs *flag.FlagSet, args []string, databaseURL *string) error {
	if err := parseArgs(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q; flags are written --name value", fs.Arg(0))}
	}
	if _, _, err := config.ParseDatabaseURL(*databaseURL); err != nil {
		return usageError{err}
	}
	return nil
}

// migrate applies pending migrations and reports the schema version.
func migrate(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "migrate", "migrate [flags]", "Apply the pending database migrations and exit.")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s); the %s schema is at version %d\n", len(applied), st.Engine(), v)
	return nil
}

// userAdd creates an account, optionally with a role in a domain.
func userAdd(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "user add", "user add [flags]",
		"Create an account, optionally with a role in a domain. Without --password-stdin a one-time\n"+
			"password is generated and printed, to be changed at the first sign-in.")
	username := fs.String("username", "", "username (required): letters, digits, . _ -")
	fullName := fs.String("full-name", "", "full name (default: the username)")
	email := fs.String("email", "", "e-mail address, where notifications go when mail is on (optional)")
	unitCode := fs.String("unit", "", "code of the user's unit")
	role := fs.String("role", "", "role to give: officer, leader, analyst or admin")
	domain := fs.String("domain", "", "domain of the role: an agency code (CA, BP, CSB, HQ) or * (default: the unit's agency)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input; without it a one-time password is generated and printed")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	if *username == "" {
		return usageError{errors.New("--username is required")}
	}
	if *role == "" && *domain != "" {
		return usageError{errors.New("--domain needs --role")}
	}
	password, generated := auth.GeneratePassword(), true
	if *pwStdin {
		pw, err := readPassword(e.stdin)
		if err != nil {
			return usageError{err}
		}
		if err := phoihop.ValidatePassword(pw); err != nil {
			return usageError{fmt.Errorf("password: %s", err.(*phoihop.Error).Fields["password"])}
		}
		password, generated = pw, false
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), *db)
	if err != nil {
		return err
	}
	defer st.Close()

	u := &phoihop.User{Username: *username, FullName: *fullName, Email: phoihop.OptionalEmail(*email), MustChangePassword: generated}
	if u.FullName == "" {
		u.FullName = *username
	}
	if *unitCode != "" {
		unit, err := unitByFlag(ctx, st, "--unit", *unitCode)
		if err != nil {
			return err
		}
		u.UnitID = &unit.ID
		if *domain == "" {
			*domain = unit.Agency
		}
	}
	if *role != "" && *domain == "" {
		return usageError{errors.New("--role needs --domain (or --unit, whose agency is then the domain)")}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	var roles []phoihop.RoleGrant
	if *role != "" {
		roles = append(roles, phoihop.RoleGrant{Role: *role, Domain: *domain})
	}
	if err := st.CreateUser(ctx, phoihop.SystemActor("cli"), store.AllAccounts(), u, hash, roles...); err != nil {
		return fieldError(err)
	}
	if len(roles) > 0 {
		// Running instances on PostgreSQL reload their policy now; on SQLite the one server
		// picks the role up at its next start.
		if err := authz.Notify(ctx, st); err != nil {
			fmt.Fprintln(e.stderr, "warning: running instances were not told of the new role:", err)
		}
	}
	fmt.Fprintf(e.stdout, "created user %s (id %d)", u.Username, u.ID)
	if *role != "" {
		fmt.Fprintf(e.stdout, " with the role %s in %s", *role, strings.ToUpper(*domain))
	}
	fmt.Fprintln(e.stdout)
	if generated {
		fmt.Fprintf(e.stdout, "one-time password (to be changed at first sign-in): %s\n", password)
	}
	return nil
}

// readPassword reads the first line of r without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("--password-stdin: standard input held no password")
	}
	return line, nil
}

// unitAdd creates a unit of an agency.
func unitAdd(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "unit add", "unit add [flags]",
		"Create a unit of an agency. Without --valid-from the unit counts as in service since always:\n"+
			"its first day is not known, and records of any date can name it. Give --valid-from when the\n"+
			"unit came into service on a known day; records dated before it cannot name the unit.")
	agency := fs.String("agency", "", "agency code (required): CA, BP, CSB or HQ")
	code := fs.String("code", "", "unit code (required), e.g. BP-DON-HOANG-DIEU")
	name := fs.String("name", "", "unit name (required)")
	parent := fs.String("parent", "", "code of the parent unit (same agency)")
	kind := fs.String("kind", "other", "kind: "+strings.Join(phoihop.UnitKinds, ", "))
	border := fs.Bool("border", false, "the unit works on the border")
	validFrom := fs.String("valid-from", "", "first day in service, YYYY-MM-DD or dd/mm/yyyy (default: not known, in service since always)")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	u := &phoihop.Unit{Agency: *agency, Code: *code, Name: *name, Kind: *kind, Border: *border}
	if *validFrom != "" {
		d, err := dateFlag("--valid-from", *validFrom)
		if err != nil {
			return err
		}
		u.ValidFrom = d
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return fieldError(err)
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *parent != "" {
		p, err := unitByFlag(ctx, st, "--parent", *parent)
		if err != nil {
			return err
		}
		u.ParentID = &p.ID
	}
	if err := st.CreateUnit(ctx, phoihop.SystemActor("cli"), store.Domains{All: true}, u); err != nil {
		return fieldError(err)
	}
	since := "since always (first day not known)"
	if !u.ValidFrom.IsZero() {
		since = "from " + u.ValidFrom.FormatVN()
	}
	fmt.Fprintf(e.stdout, "created unit %s %q of %s (id %d), in service %s\n", u.Code, u.Name, u.Agency, u.ID, since)
	return nil
}

// unitByFlag finds the unit a flag names by its code; an unknown code is a usage error.
func unitByFlag(ctx context.Context, st *store.Store, flag, code string) (*phoihop.Unit, error) {
	u, err := st.UnitByCode(ctx, code)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return nil, usageError{fmt.Errorf("%s: there is no unit with the code %q", flag, code)}
	}
	return u, err
}

// fieldError turns a validation error into a usage error naming the flags at fault.
func fieldError(err error) error {
	var pe *phoihop.Error
	if !errors.As(err, &pe) || (pe.Code != phoihop.EInvalid && pe.Code != phoihop.EConflict) {
		return err
	}
	if len(pe.Fields) == 0 {
		return usageError{errors.New(pe.Message)}
	}
	var parts []string
	for _, f := range sortedKeys(pe.Fields) {
		parts = append(parts, "--"+strings.ReplaceAll(f, "_", "-")+": "+pe.Fields[f])
	}
	return usageError{errors.New(strings.Join(parts, "; "))}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
