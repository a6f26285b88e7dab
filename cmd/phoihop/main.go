// Command phoihop is the coordination tracker of police, border guard, coast guard and customs
// units: `phoihop [serve]` runs the web application; the other subcommands manage the
// database from the command line. Run `phoihop help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "phoihop:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line or the configuration (exit status 2).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// env is what a subcommand gets from the process: environment and standard streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

const usage = `phoihop — coordination against drug and border crime

Usage:
  phoihop [serve] [flags]     run the web application (the default)
  phoihop migrate [flags]     apply the database migrations and exit
  phoihop user add [flags]    create an account (password from --password-stdin)
  phoihop user unlock [flags] USERNAME
                              lift an account's sign-in locks (every address and single ones)
  phoihop user reset-password [flags] USERNAME
                              give an account a new password (one-time, or --password-stdin),
                              end its sessions and lift its locks
  phoihop unit add [flags]    create a unit of an agency
  phoihop demo [flags]        load the demo province (--scale N: a large one for benchmarks)
  phoihop report [flags]      write the summary workbook of a period (--from, --to, --out)
  phoihop import [flags]      check a filled import template (--file, --as), --commit to write it
  phoihop backup [flags]      write a consistent backup of the running database (--out FILE)
  phoihop restore [flags]     restore a backup into an empty database (--in FILE)
  phoihop version             print the version (also phoihop --version)
  phoihop help                print this help (also phoihop --help, phoihop -h)

Run "phoihop COMMAND --help" for the flags of a command. Every flag has a PHOIHOP_* environment
fallback; see README.md.
`

// run is the whole program: it dispatches args to a subcommand. A command asked for its help
// prints it and succeeds.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := dispatch(ctx, e, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// dispatch runs the subcommand args name; with no name, or flags only, it serves.
func dispatch(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return serve(ctx, e, args)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return nil
	case "version", "-version", "--version":
		if cmd == "version" {
			fs := flag.NewFlagSet("phoihop version", flag.ContinueOnError)
			fs.SetOutput(e.stderr)
			setUsage(fs, "version", "Print the version of phoihop, of the Go it was built with, and the system it runs on.")
			if err := parseArgs(e, fs, rest); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usageError{fmt.Errorf("unexpected argument %q; \"phoihop version\" takes none", fs.Arg(0))}
			}
		}
		fmt.Fprintln(e.stdout, versionString())
		return nil
	case "serve":
		return serve(ctx, e, rest)
	case "migrate":
		return migrate(ctx, e, rest)
	case "user":
		if len(rest) > 0 {
			switch rest[0] {
			case "add":
				return userAdd(ctx, e, rest[1:])
			case "unlock":
				return userUnlock(ctx, e, rest[1:])
			case "reset-password":
				return userResetPassword(ctx, e, rest[1:])
			case "-h", "-help", "--help":
				fmt.Fprint(e.stdout, usage)
				return nil
			}
		}
		return usageError{errors.New(`"phoihop user" takes the subcommand "add", "unlock" or "reset-password"; run "phoihop help"`)}
	case "unit":
		if len(rest) > 0 {
			switch rest[0] {
			case "add":
				return unitAdd(ctx, e, rest[1:])
			case "-h", "-help", "--help":
				fmt.Fprint(e.stdout, usage)
				return nil
			}
		}
		return usageError{errors.New(`"phoihop unit" takes the subcommand "add"; run "phoihop unit add --help"`)}
	case "demo":
		return demoCmd(ctx, e, rest)
	case "report":
		return report(ctx, e, rest)
	case "import":
		return importCmd(ctx, e, rest)
	case "backup":
		return backupCmd(ctx, e, rest)
	case "restore":
		return restoreCmd(ctx, e, rest)
	}
	if strings.HasPrefix(cmd, "-") {
		return serve(ctx, e, args)
	}
	return usageError{fmt.Errorf("unknown command %q; run \"phoihop help\"", cmd)}
}
