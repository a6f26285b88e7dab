package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"phoihop/internal/auth"
	"phoihop/internal/authz"
	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// maxScale bounds demo --scale: 100 × 100 000 seizure rows.
const maxScale = 100

// demoCmd loads the demo province and, with --scale, generates a large province on top of it.
func demoCmd(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "demo", "demo [flags]",
		"Load the demo province: its units, accounts, coordination plan, the records of 2003 to 2016\n"+
			"and the requests between agencies of 2023 to today.\n"+
			"With --scale, then add generated records on top of it, for benchmarks.")
	scale := fs.Int("scale", 0, fmt.Sprintf("then add N × %d seizure rows with proportionate cases, suspects, exchanges, tips and requests (1 to %d), for benchmarks", demo.ScaleBlock, maxScale))
	pwStdin := fs.Bool("password-stdin", false, "read the password of the demo accounts from the first line of standard input; without it one is generated and printed")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	if flagSet(fs, "scale") && (*scale < 1 || *scale > maxScale) {
		return usageError{fmt.Errorf("--scale %d: give a number from 1 to %d", *scale, maxScale)}
	}
	opts := demo.Options{Password: auth.GeneratePassword(), MustChangePassword: true}
	if *pwStdin {
		pw, err := readPassword(e.stdin)
		if err != nil {
			return usageError{err}
		}
		opts = demo.Options{Password: pw}
		if err := opts.Validate(); err != nil {
			var pe *phoihop.Error
			if errors.As(err, &pe) && pe.Fields["password"] != "" {
				return usageError{fmt.Errorf("--password-stdin: %s", pe.Fields["password"])}
			}
			return usageError{err}
		}
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), *db)
	if err != nil {
		return err
	}
	defer st.Close()
	loaded, err := demo.Loaded(ctx, st)
	if err != nil {
		return err
	}
	switch {
	case loaded && *scale == 0:
		return fmt.Errorf("%w; nothing was changed", demo.ErrAlreadyLoaded)
	case loaded:
		fmt.Fprintln(e.stdout, "The demo province is already loaded; adding the generated records only.")
	default:
		if err := loadDemo(ctx, e, st, opts, !*pwStdin); err != nil {
			return err
		}
	}
	if *scale == 0 {
		return nil
	}
	fmt.Fprintf(e.stdout, "Generating %d × %d seizures…\n", *scale, demo.ScaleBlock)
	n, err := demo.Scale(ctx, st, *scale, e.stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Generated %d cases, %d suspects, %d seizures, %d exchanges, %d tips and %d requests between agencies.\n",
		n.Cases, n.Suspects, n.Seizures, n.Exchanges, n.Tips, n.Requests)
	return nil
}

// loadDemo loads the demo province, tells running instances of the new roles and prints the
// accounts and what was loaded.
func loadDemo(ctx context.Context, e env, st *store.Store, opts demo.Options, generated bool) error {
	res, err := demo.Load(ctx, st, opts)
	if err != nil {
		return err
	}
	if err := authz.Notify(ctx, st); err != nil {
		fmt.Fprintln(e.stderr, "warning: running instances were not told of the new roles:", err)
	}
	from, to := demo.Period()
	fmt.Fprintf(e.stdout, "Loaded the demo province: %d units, %d coordination plans, %d cases, %d suspects, %d seizures, %d exchanges, %d tips (%d of them removed with a reason, as entered by mistake), %d requests between agencies since 2023, and %d tasks of the plans.\n",
		res.Units, res.Agreements, res.Cases, res.Suspects, res.Seizures, res.Exchanges, res.Tips, res.Removed, res.Requests, res.PlanTasks)
	fmt.Fprintf(e.stdout, "The summary of %s – %s gives the review conference's figures:\n  phoihop report --from %s --to %s --out summary.xlsx\n\nAccounts:\n",
		from.FormatVN(), to.FormatVN(), from, to)
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tNAME\tROLE\tDOMAIN\tUNIT")
	for _, a := range res.Accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Username, a.FullName, a.Role, a.Domain, a.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if res.Requests > 0 {
		fmt.Fprintln(e.stdout, "\nThe officers' inboxes (/inbox) hold requests of the last weeks to accept and to answer, some overdue.")
	}
	if generated {
		fmt.Fprintf(e.stdout, "\nPassword of every demo account (shown once; to be changed at first sign-in): %s\n", opts.Password)
	} else {
		fmt.Fprintln(e.stdout, "\nThe demo accounts use the password read from standard input.")
	}
	return nil
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
