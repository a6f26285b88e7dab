package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The commands below let an operator with the server's shell back into an account whatever
// happened in the browser: they work while the server runs, on either database.

// userUnlock lifts an account's sign-in locks, for every address and for single ones, and
// clears its failed sign-ins.
func userUnlock(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "user unlock", "user unlock [flags] USERNAME", "Lift the sign-in locks of an account, for every address and for single ones, and clear its failed sign-ins.")
	name, err := parseFlagsWithUsername(e, fs, args, db)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := accountByName(ctx, st, name)
	if err != nil {
		return err
	}
	locks, err := st.AddressLocksOf(ctx, u.ID)
	if err != nil {
		return err
	}
	if _, err := st.UnlockUser(ctx, phoihop.SystemActor("cli"), store.AllAccounts(), u.ID); err != nil {
		return err
	}
	var lifted []string
	if u.Status == phoihop.UserLocked && u.LockedUntil != nil && u.LockedUntil.After(st.Now()) {
		lifted = append(lifted, "its lock for every address")
	}
	if locks.Count > 0 {
		lifted = append(lifted, fmt.Sprintf("its lock for %s", plural(locks.Count, "address", "addresses")))
	}
	if len(lifted) == 0 {
		fmt.Fprintf(e.stdout, "user %s (id %d) was not locked; its failed sign-ins are cleared\n", u.Username, u.ID)
	} else {
		fmt.Fprintf(e.stdout, "unlocked user %s (id %d): lifted %s; its failed sign-ins are cleared\n",
			u.Username, u.ID, strings.Join(lifted, " and "))
	}
	noteDisabled(e, u)
	return nil
}

// userResetPassword gives an account a new password, ends its sessions and lifts its locks.
func userResetPassword(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "user reset-password", "user reset-password [flags] USERNAME", "Give an account a new password, end its sessions and lift its sign-in locks.")
	pwStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input and keep it; without it a one-time password is generated, printed once, and must be changed at the next sign-in")
	name, err := parseFlagsWithUsername(e, fs, args, db)
	if err != nil {
		return err
	}
	password, generated := auth.GeneratePassword(), true
	if *pwStdin {
		pw, err := readPassword(e.stdin)
		if err != nil {
			return usageError{err}
		}
		if err := auth.CheckNewPassword(pw, name, "password"); err != nil {
			var pe *phoihop.Error
			if errors.As(err, &pe) && pe.Fields["password"] != "" {
				return usageError{fmt.Errorf("--password-stdin: %s", pe.Fields["password"])}
			}
			return err
		}
		password, generated = pw, false
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := accountByName(ctx, st, name)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := st.ResetPassword(ctx, phoihop.SystemActor("cli"), store.AllAccounts(), u.ID, hash, generated); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reset the password of user %s (id %d): its sessions ended and its sign-in locks were lifted\n", u.Username, u.ID)
	if generated {
		fmt.Fprintf(e.stdout, "one-time password (to be changed at first sign-in): %s\n", password)
	} else {
		fmt.Fprintln(e.stdout, "the password read from standard input is kept; it need not be changed at sign-in")
	}
	noteDisabled(e, u)
	return nil
}

// parseFlagsWithUsername parses args holding one username among the flags (before, between or
// after them), refusing stray arguments, and checks the database URL.
func parseFlagsWithUsername(e env, fs *flag.FlagSet, args []string, databaseURL *string) (string, error) {
	if err := parseArgs(e, fs, args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", usageError{fmt.Errorf("give the username: %s USERNAME", fs.Name())}
	}
	name := fs.Arg(0)
	if err := parseFlags(e, fs, fs.Args()[1:], databaseURL); err != nil {
		return "", err
	}
	return name, nil
}

// setUsage makes the usage of a command show its synopsis and purpose before its flags.
func setUsage(fs *flag.FlagSet, synopsis, purpose string) {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: phoihop %s\n\n%s\n\nFlags:\n", synopsis, purpose)
		fs.PrintDefaults()
	}
}

// accountByName finds the account with the username in any case; an unknown one is a usage
// error.
func accountByName(ctx context.Context, st *store.Store, name string) (*phoihop.User, error) {
	u, err := st.UserByUsername(ctx, name)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return nil, usageError{fmt.Errorf("there is no user with the username %q; nothing was changed", name)}
	}
	return u, err
}

// noteDisabled tells that a disabled account still cannot sign in.
func noteDisabled(e env, u *phoihop.User) {
	if u.Status == phoihop.UserDisabled {
		fmt.Fprintf(e.stdout, "note: the account %s is disabled and cannot sign in until an administrator enables it at /admin/users\n", u.Username)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
