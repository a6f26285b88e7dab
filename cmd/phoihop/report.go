package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/reports"
)

// reportAgencies are the agency codes --agency accepts (the seeded agencies).
var reportAgencies = []string{phoihop.AgencyPolice, phoihop.AgencyBorderGuard, phoihop.AgencyCoastGuard, phoihop.AgencyCustoms}

// reportFlags are the checked flags of phoihop report.
type reportFlags struct {
	filter   store.SummaryFilter
	lang     string
	out      string
	province string
}

// report writes the summary workbook of a period to a file, audits it as a download and
// prints the headline figures.
func report(ctx context.Context, e env, args []string) error {
	rf, db, err := parseReportFlags(e, args)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)), db)
	if err != nil {
		return err
	}
	defer st.Close()
	agencies, err := st.Agencies(ctx)
	if err != nil {
		return err
	}
	all := make([]string, len(agencies))
	for i, a := range agencies {
		all[i] = a.Code
	}
	sc := store.Scope{Read: all, Write: all}
	if id := rf.filter.AgreementID; id != 0 {
		if _, err := st.AgreementByID(ctx, sc, id); phoihop.ErrorCode(err) == phoihop.ENotFound {
			return usageError{fmt.Errorf("--agreement: there is no coordination plan with the id %d", id)}
		} else if err != nil {
			return err
		}
	}
	sum, err := st.Summary(ctx, rf.filter)
	if err != nil {
		return err
	}
	if err := st.SummaryTaskItems(ctx, sc, sum); err != nil {
		return err
	}
	now := st.Now()
	date := rf.filter.To
	if today := phoihop.Today(now); today.Before(date) {
		date = today
	}
	wb := reports.Workbook{Summary: sum, Lang: rf.lang, Header: reports.DefaultHeader(rf.lang, rf.province, date),
		Details: store.Export{Store: st, Filter: rf.filter, Scope: sc}, Suspects: true, Now: now}
	// Audited like a download from the web application, with the file written.
	audit := func() error {
		return st.AuditReport(ctx, phoihop.SystemActor("cli"), rf.filter, rf.lang, "xlsx", rf.out)
	}
	if err := writeFileAtomic(rf.out, func(w io.Writer) error { return reports.WriteWorkbook(ctx, w, wb) }, audit); err != nil {
		return err
	}
	return printReport(e.stdout, rf, sum)
}

// parseReportFlags reads and checks the flags of phoihop report; every mistake is a usage
// error naming its flag. It returns the database URL too.
func parseReportFlags(e env, args []string) (*reportFlags, string, error) {
	fs, db := newFlagSet(e, "report", "report [flags]",
		"Write the summary workbook of a period (every sheet, suspects included), print its headline\n"+
			"figures and record the download in the audit log.")
	from := fs.String("from", "", "first day of the period (required): YYYY-MM-DD or dd/mm/yyyy")
	to := fs.String("to", "", "last day of the period (required): YYYY-MM-DD or dd/mm/yyyy")
	agency := fs.String("agency", "", "report on these agencies only: "+strings.Join(reportAgencies, ", ")+", several separated by commas (default: all)")
	agreement := fs.Int64("agreement", 0, "report only the cases under the coordination plan with this id")
	lang := fs.String("lang", "vi", "language of the workbook: vi or en")
	out := fs.String("out", "", "the workbook to write (required), a path ending in .xlsx")
	provDefault := e.getenv(config.EnvProvince)
	if provDefault == "" {
		provDefault = config.DefaultProvince
	}
	province := fs.String("province", provDefault, "province named in the heading and the date line (env "+config.EnvProvince+")")
	if err := parseFlags(e, fs, args, db); err != nil {
		return nil, "", err
	}
	rf := &reportFlags{lang: *lang, out: *out, province: strings.TrimSpace(*province)}
	var err error
	if rf.filter.From, err = dateFlag("--from", *from); err != nil {
		return nil, "", err
	}
	if rf.filter.To, err = dateFlag("--to", *to); err != nil {
		return nil, "", err
	}
	if rf.filter.To.Before(rf.filter.From) {
		return nil, "", usageError{fmt.Errorf("--to %s is before --from %s", rf.filter.To.FormatVN(), rf.filter.From.FormatVN())}
	}
	if *agency != "" {
		for _, a := range strings.Split(*agency, ",") {
			a = strings.ToUpper(strings.TrimSpace(a))
			if !slices.Contains(reportAgencies, a) {
				return nil, "", usageError{fmt.Errorf("--agency %q: give one of %s (several separated by commas)", a, strings.Join(reportAgencies, ", "))}
			}
			if !slices.Contains(rf.filter.Agencies, a) {
				rf.filter.Agencies = append(rf.filter.Agencies, a)
			}
		}
	}
	if *agreement < 0 {
		return nil, "", usageError{fmt.Errorf("--agreement %d: give the id of a coordination plan", *agreement)}
	}
	rf.filter.AgreementID = *agreement
	rf.filter = rf.filter.WithYearEarlier() // the workbook compares with the same period a year before
	if rf.lang != "vi" && rf.lang != "en" {
		return nil, "", usageError{fmt.Errorf("--lang %q: give vi or en", rf.lang)}
	}
	if rf.province == "" || utf8.RuneCountInString(rf.province) > 60 {
		return nil, "", usageError{fmt.Errorf("--province %q must be a place name of 1 to 60 characters", *province)}
	}
	if err := checkOutFlag(rf.out); err != nil {
		return nil, "", err
	}
	return rf, *db, nil
}

// dateFlag reads a required date flag given as YYYY-MM-DD or dd/mm/yyyy.
func dateFlag(name, v string) (phoihop.Date, error) {
	if v == "" {
		return phoihop.Date{}, usageError{fmt.Errorf("%s is required (YYYY-MM-DD or dd/mm/yyyy)", name)}
	}
	d, err := phoihop.ParseDate(v)
	if err != nil {
		if d, err = phoihop.ParseDateVN(v); err != nil {
			return phoihop.Date{}, usageError{fmt.Errorf("%s %q is not a date (YYYY-MM-DD or dd/mm/yyyy)", name, v)}
		}
	}
	return d, nil
}

// checkOutFlag checks --out: given, ending in .xlsx, in a folder that exists, not a folder.
func checkOutFlag(out string) error {
	switch {
	case out == "":
		return usageError{errors.New("--out is required: the .xlsx file to write")}
	case !strings.EqualFold(filepath.Ext(out), ".xlsx"):
		return usageError{fmt.Errorf("--out %q: the file name must end in .xlsx", out)}
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return usageError{fmt.Errorf("--out %q: the folder %s does not exist", out, filepath.Dir(out))}
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("--out %q is a folder", out)}
	}
	return nil
}

// writeFileAtomic writes path through a temporary file in the same folder: write fills it,
// then before (when not nil) runs, then the file replaces path. When anything fails the
// temporary file is removed and path is left as it was.
func writeFileAtomic(path string, write func(io.Writer) error, before func() error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if before != nil {
		if err := before(); err != nil {
			return err
		}
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// printReport prints where the workbook went and the headline figures.
func printReport(w io.Writer, rf *reportFlags, s *store.Summary) error {
	paragraph, err := reports.Narrative(s, rf.lang)
	if err != nil {
		return err
	}
	scope := "all agencies"
	if rf.filter.Agencies != nil {
		scope = strings.Join(rf.filter.Agencies, ", ")
	}
	if rf.filter.AgreementID != 0 {
		scope += fmt.Sprintf(", cases under plan %d", rf.filter.AgreementID)
	}
	var leads []string
	for _, c := range s.Cases.ByLeadAgency {
		leads = append(leads, fmt.Sprintf("%s %d", c.Key, c.Count))
	}
	fmt.Fprintf(w, "Wrote %s: summary of %s – %s (%s).\n", rf.out, rf.filter.From.FormatVN(), rf.filter.To.FormatVN(), scope)
	fmt.Fprintf(w, "Cases fought: %d", s.Cases.Total)
	if len(leads) > 0 {
		fmt.Fprintf(w, " (led by %s)", strings.Join(leads, ", "))
	}
	fmt.Fprintf(w, "; suspects arrested: %d (%d foreign); exchanges: %d; valuable tips: %d.\n",
		s.Suspects.Total, s.Suspects.Foreign, s.Exchanges.Total, s.Tips.Valuable)
	_, err = fmt.Fprintln(w, paragraph)
	return err
}
