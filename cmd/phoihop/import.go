package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"phoihop/internal/authz"
	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/web"
)

// importFlags are the checked flags of phoihop import.
type importFlags struct {
	file, as, lang string
	commit         bool
}

// importCmd checks an import file as the user USERNAME would upload it (a dry run: nothing is
// written), prints the preview and every error, and writes the error workbook beside the file
// when it has errors; with --commit and no error, it writes the records too.
func importCmd(ctx context.Context, e env, args []string) error {
	f, db, err := parseImportFlags(e, args)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(f.file)
	if err != nil {
		return usageError{fmt.Errorf("--file: %w", err)}
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	st, err := openStore(ctx, log, db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, f.as)
	if phoihop.ErrorCode(err) == phoihop.ENotFound || err == nil && u.Status != phoihop.UserActive {
		return usageError{fmt.Errorf("--as %q: no active account has this username", f.as)}
	} else if err != nil {
		return err
	}
	enf, err := authz.New(ctx, st, log)
	if err != nil {
		return err
	}
	defer enf.Close()
	sub := store.RoleSubject(u.Username)
	sc := store.Scope{Read: enf.Domains(sub, "record", "read"), Write: enf.Domains(sub, "record", "write")}
	if len(sc.Write) == 0 {
		return usageError{fmt.Errorf("--as %q: this account may not record anything, so it may not import", f.as)}
	}
	tr, err := web.NewTranslator(f.lang)
	if err != nil {
		return err
	}
	text := func(p store.ImportProblem) string { return tr.Message(p.Message, p.MessageID, p.Args...) }
	a := phoihop.Actor{UserID: &u.ID, Username: u.Username, RequestID: "cli-import"}

	rn := imports.NewRunner(st)
	imp, err := rn.Upload(ctx, a, sc, filepath.Base(f.file), f.lang, data)
	if err != nil {
		var pe *phoihop.Error
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: %s", f.file, tr.Message(pe.Message, pe.MessageID, pe.Args...))
		}
		return err
	}
	if err := rn.Check(ctx, a, sc, imp.ID); err != nil {
		var pe *phoihop.Error
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: %s", f.file, tr.Message(pe.Message, pe.MessageID, pe.Args...))
		}
		return err
	}
	if imp, err = st.ImportByID(ctx, sc, imp.ID); err != nil {
		return err
	}
	res, err := st.ImportResultOf(ctx, sc, imp.ID)
	if err != nil {
		return err
	}
	printImport(e.stdout, imp, res, text)
	if len(res.Problems) > 0 {
		out := errorWorkbookPath(f.file, f.lang)
		err := writeFileAtomic(out, func(w io.Writer) error {
			return imports.WriteErrorWorkbook(w, bytes.NewReader(data), int64(len(data)), res.Problems, f.lang, text)
		}, nil)
		if err != nil {
			return err
		}
		return fmt.Errorf("the file has %d errors; nothing was written. Fix them in %s and run the import again", len(res.Problems), out)
	}
	if !f.commit {
		fmt.Fprintf(e.stdout, "Dry run (import %d): nothing was written. Run again with --commit to write these records.\n", imp.ID)
		return nil
	}
	started, err := rn.BeginCommit(ctx, sc, imp.ID, imp.FileSHA256)
	if err != nil {
		return err
	}
	if err := rn.Commit(ctx, a, sc, started); err != nil {
		var pe *phoihop.Error
		if errors.As(err, &pe) {
			return errors.New(tr.Message(pe.Message, pe.MessageID, pe.Args...))
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Committed (import %d): the records were written, each with its audit entry.\n", imp.ID)
	return nil
}

// errorWorkbookPath is where the error workbook of file goes: beside it, "-loi" (Vietnamese)
// or "-errors" (English) before the extension.
func errorWorkbookPath(file, lang string) string {
	ext := filepath.Ext(file)
	suffix := "-loi"
	if lang == "en" {
		suffix = "-errors"
	}
	return strings.TrimSuffix(file, ext) + suffix + ".xlsx"
}

// printImport prints the preview of an import: the rows per kind to create, update and leave
// unchanged, the rows with errors, then every error and warning.
func printImport(w io.Writer, imp *phoihop.Import, res *store.ImportResult, text func(store.ImportProblem) string) {
	fmt.Fprintf(w, "%s: %d data rows\n", imp.FileName, imp.RowsDone)
	fmt.Fprintf(w, "%-10s %7s %7s %9s %7s\n", "", "create", "update", "unchanged", "errors")
	for _, k := range store.ImportKinds {
		c := res.Counts[k]
		if c == nil {
			c = &store.ImportCount{}
		}
		fmt.Fprintf(w, "%-10s %7d %7d %9d %7d\n", k, c.Create, c.Update, c.Unchanged, c.Errors)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "error: %s\n", problemLine(p, text))
	}
	for _, p := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", problemLine(p, text))
	}
}

func problemLine(p store.ImportProblem, text func(store.ImportProblem) string) string {
	where := p.Sheet
	if p.Row > 0 {
		where += fmt.Sprintf(" row %d", p.Row)
	}
	if p.Field != "" {
		where += " [" + p.Field + "]"
	}
	return where + ": " + text(p)
}

// parseImportFlags reads and checks the flags of phoihop import; every mistake is a usage
// error naming its flag. It returns the database URL too.
func parseImportFlags(e env, args []string) (*importFlags, string, error) {
	fs, db := newFlagSet(e, "import", "import --file FILE --as USERNAME [--commit] [flags]",
		"Check a filled import template as the account USERNAME would upload it (a dry run: nothing is\n"+
			"written), print the rows per kind to create, update or leave unchanged and every error, and\n"+
			"write the error workbook beside the file (FILE-loi.xlsx) when it has errors. With --commit\n"+
			"and no error, write the records, each with its audit entry, all or nothing.")
	file := fs.String("file", "", "the filled template to import (required), an .xlsx file")
	as := fs.String("as", "", "the username of the officer importing (required): the records are theirs")
	commit := fs.Bool("commit", false, "write the records when the file has no error (default: dry run)")
	lang := fs.String("lang", "vi", "language of the messages and the error workbook: vi or en")
	if err := parseFlags(e, fs, args, db); err != nil {
		return nil, "", err
	}
	f := &importFlags{file: *file, as: strings.TrimSpace(*as), lang: *lang, commit: *commit}
	switch {
	case f.file == "":
		return nil, "", usageError{errors.New("--file is required: the .xlsx file to import")}
	case !strings.EqualFold(filepath.Ext(f.file), ".xlsx"):
		return nil, "", usageError{fmt.Errorf("--file %q: give an Excel workbook (.xlsx)", f.file)}
	case f.as == "":
		return nil, "", usageError{errors.New("--as is required: the username of the officer importing")}
	case f.lang != "vi" && f.lang != "en":
		return nil, "", usageError{fmt.Errorf("--lang %q: give vi or en", f.lang)}
	}
	if fi, err := os.Stat(f.file); err != nil {
		return nil, "", usageError{fmt.Errorf("--file %q: %w", f.file, err)}
	} else if fi.IsDir() {
		return nil, "", usageError{fmt.Errorf("--file %q is a folder", f.file)}
	}
	return f, *db, nil
}
