// Package demo loads a demo province modelled on a provincial police article about the review
// conference of the Decision 133/2002/QĐ-TTg coordination (../shared/seed/): the provincial
// headquarters of the police, the border guard and customs, the police of the border districts,
// the border posts and the customs sub-departments of the border gates, coordination plan No. 06
// of 13/02/2004, officers with roles, and records from 2003 to 2016 entered through the store
// like any user's, such that the summary of 13/02/2004 – 12/05/2016 gives exactly the
// article's figures while records outside that period (and a removed case) do not count; and
// the requests between agencies of 2023 to yesterday, with work in the officers' inboxes today
// (requests_plan.go).
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// ErrAlreadyLoaded is returned by Load when the demo province's units are already in the
// database; nothing is written then.
var ErrAlreadyLoaded = errors.New("demo: the demo province is already loaded")

// Period returns the period of the article's figures: from the signing of plan No. 06
// (13/02/2004) to the review conference (12/05/2016), both inclusive.
func Period() (from, to phoihop.Date) { return day(2004, 2, 13), day(2016, 5, 12) }

// ArticleParagraph is the review conference's summary paragraph (the article in
// ../shared/seed/, with "gần 10gam" as the exact 9,8 gam): what reports.Narrative writes in
// Vietnamese for the demo province over Period.
const ArticleParagraph = "Quá trình phối hợp đã đấu tranh được 9 chuyên án, Công an tỉnh chủ trì xác lập 3 chuyên án; " +
	"Bộ đội Biên phòng 6 chuyên án. Kết quả bắt giữ 19 đối tượng, thu giữ 3.973 viên ma túy tổng hợp, " +
	"9,8 gam heroin, 2 súng tự chế, 26 viên đạn, 6 dao và mã tấu, 1 xe ô tô, 9 xe máy. " +
	"Về trao đổi thông tin, các lực lượng đã tổ chức trao đổi định kỳ được 337 lần, " +
	"qua đó tiến hành điều tra xác minh 127 tin có giá trị."

// Options are the choices of a demo load.
type Options struct {
	// Password is the password of every demo account (required): 8 to 128 characters, not a
	// common password and not containing a demo username.
	Password string
	// MustChangePassword makes the accounts change the password at their first sign-in (for a
	// generated password shown once).
	MustChangePassword bool
}

// Validate checks the options; a bad password is EInvalid on the field "password".
func (o Options) Validate() error {
	if o.Password == "" {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"password": "Enter the password of the demo accounts."}}
	}
	for _, a := range accounts {
		if err := auth.CheckNewPassword(o.Password, a.username, "password"); err != nil {
			return err
		}
	}
	return nil
}

// Account is a demo account: what to sign in with and what it may do.
type Account struct {
	Username string
	FullName string
	Unit     string // code of the account's unit
	Role     string // officer, leader or analyst
	Domain   string // an agency code or "*"
}

// Result is what Load created.
type Result struct {
	Accounts   []Account
	Units      int
	Agreements int
	Cases      int // including the cases outside the period and the removed one
	Suspects   int
	Seizures   int
	Exchanges  int // including those outside the period and the removed one
	Tips       int
	Removed    int // records removed after being entered (they never count)
	Requests   int // requests between agencies, from 2023 to yesterday
	PlanTasks  int // tasks of the coordination plans
}

// Loaded reports whether the demo province is in the database: true when all its units exist,
// false when none does. Some of them but not all is an error naming the codes in the way.
func Loaded(ctx context.Context, st *store.Store) (bool, error) {
	var found []string
	for _, u := range units {
		_, err := st.UnitByCode(ctx, u.code)
		switch {
		case err == nil:
			found = append(found, u.code)
		case phoihop.ErrorCode(err) != phoihop.ENotFound:
			return false, fmt.Errorf("demo: look for unit %s: %w", u.code, err)
		}
	}
	switch len(found) {
	case 0:
		return false, nil
	case len(units):
		return true, nil
	}
	return false, fmt.Errorf("demo: the units %s already exist but not the rest of the demo province; load it into another database",
		strings.Join(found, ", "))
}

// Load validates opts and loads the demo province into st, writing every record through the
// store's API as the demo officers (so each one is validated and audited). It checks first,
// writing nothing, that the demo is not loaded (else ErrAlreadyLoaded) and that no demo unit
// or username is taken. The caller tells running instances of the new roles (authz.Notify).
// Load is deterministic: the same records every time, but for the requests between agencies,
// which are dated from 2023 to the day before st's clock (the same on the same day; none when
// the clock is before mid-2023) and written at their moments without changing that clock. An
// error part way leaves what was written before it.
func Load(ctx context.Context, st *store.Store, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	loaded, err := Loaded(ctx, st)
	if err != nil {
		return nil, err
	}
	if loaded {
		return nil, ErrAlreadyLoaded
	}
	for _, a := range accounts {
		_, err := st.UserByUsername(ctx, a.username)
		if err == nil {
			return nil, fmt.Errorf("demo: the username %s is taken; load the demo into another database", a.username)
		}
		if phoihop.ErrorCode(err) != phoihop.ENotFound {
			return nil, fmt.Errorf("demo: look for user %s: %w", a.username, err)
		}
	}
	l := newLoader(ctx, st)
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"units", l.loadUnits},
		{"accounts", func() error { return l.loadAccounts(opts) }},
		{"coordination plans", l.loadAgreements},
		{"tasks of the plans", l.loadPlanTasks},
		{"cases", l.loadCases},
		{"exchanges", l.loadExchanges},
		{"tips", l.loadTips},
		{"requests between agencies", l.loadRequests},
	} {
		if err := step.fn(); err != nil {
			return nil, fmt.Errorf("demo: load %s: %w (what was loaded before stays; load the demo into an empty database)", step.name, err)
		}
	}
	return &l.res, nil
}

// day is the calendar day d/m/y.
func day(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
