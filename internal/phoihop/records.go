package phoihop

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Removal is the soft deletion of a record: removed records are hidden from lists and reports
// but kept, with who removed them, when and why.
type Removal struct {
	DeletedAt    *time.Time `db:"deleted_at" json:"deleted_at,omitempty"`
	DeletedBy    *int64     `db:"deleted_by" json:"-"`
	DeleteReason *string    `db:"delete_reason" json:"delete_reason,omitempty"`
}

// RemovalReason trims and checks the reason given for removing a record: required, at most
// 500 characters; errors are EInvalid on the field "reason".
func RemovalReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	f := FieldErrors{}
	if reason == "" {
		f.Add("reason", "Give the reason for the removal.")
	} else {
		validLine(f, "reason", reason, 1, 500)
	}
	return reason, f.Err()
}

// Removed reports whether the record was removed.
func (r Removal) Removed() bool { return r.DeletedAt != nil }

// Agreement is a coordination plan signed under the regulation (Plan No. 06 of 13/02/2004…).
type Agreement struct {
	ID         int64    `db:"id" json:"id"`
	Number     string   `db:"number" json:"number"`
	Title      string   `db:"title" json:"title"`
	SignedOn   Date     `db:"signed_on" json:"signed_on"`
	LegalBasis string   `db:"legal_basis" json:"legal_basis"`
	Agencies   []string `db:"-" json:"agencies"`
	Removal
	Audit
}

// Case is a joint case: a lead agency and unit established it, the agencies in Agencies (the
// lead among them) take part.
type Case struct {
	ID         int64    `db:"id" json:"id"`
	Code       string   `db:"code" json:"code"`
	Title      string   `db:"title" json:"title"`
	CrimeType  string   `db:"crime_type" json:"crime_type"`
	LeadAgency string   `db:"lead_agency" json:"lead_agency"`
	LeadUnitID int64    `db:"lead_unit" json:"lead_unit"`
	Agencies   []string `db:"-" json:"agencies"`
	// Invited are the agencies asked to join the case (a join_case request sent, not yet
	// accepted): they take part only once they accept. Saving a case invites the agencies of
	// Agencies that the saver does not manage, and withdraws the invitations left out.
	Invited     []string `db:"-" json:"invited_agencies"`
	AgreementID *int64   `db:"agreement_id" json:"agreement_id"`
	Area        string   `db:"area" json:"area"`
	OpenedOn    Date     `db:"opened_on" json:"opened_on"`
	ClosedOn    Date     `db:"closed_on" json:"closed_on"`
	Status      string   `db:"status" json:"status"`
	Summary     string   `db:"summary" json:"summary"`
	Removal
	Audit
}

// Suspect is a person arrested in a case by a unit of an agency taking part. Personal data:
// only readers of the case see it.
type Suspect struct {
	ID              int64  `db:"id" json:"id"`
	CaseID          int64  `db:"case_id" json:"case_id"`
	Agency          string `db:"agency" json:"agency"` // the arresting unit's agency
	FullName        string `db:"full_name" json:"full_name"`
	BirthYear       *int   `db:"birth_year" json:"birth_year"`
	Gender          string `db:"gender" json:"gender"`
	Nationality     string `db:"nationality" json:"nationality"` // ISO 3166 alpha-2
	IDNumber        string `db:"id_number" json:"id_number"`
	Address         string `db:"address" json:"address"`
	ArrestedOn      Date   `db:"arrested_on" json:"arrested_on"`
	ArrestingUnitID int64  `db:"arresting_unit" json:"arresting_unit"`
	Notes           string `db:"notes" json:"notes"`
	Removal
	Audit
}

// Seizure is an amount of one category of goods seized in a case by a unit of an agency
// taking part.
type Seizure struct {
	ID                 int64    `db:"id" json:"id"`
	CaseID             int64    `db:"case_id" json:"case_id"`
	Agency             string   `db:"agency" json:"agency"` // the seizing unit's agency
	Category           string   `db:"category" json:"category"`
	Quantity           Quantity `db:"quantity_milli" json:"quantity"`
	SeizedOn           Date     `db:"seized_on" json:"seized_on"`
	SeizingUnitID      int64    `db:"seizing_unit" json:"seizing_unit"`
	LocationType       *string  `db:"location_type" json:"location_type"`
	TransportMode      *string  `db:"transport_mode" json:"transport_mode"`
	DepartureCountry   *string  `db:"departure_country" json:"departure_country"`
	DestinationCountry *string  `db:"destination_country" json:"destination_country"`
	Description        string   `db:"description" json:"description"`
	Removal
	Audit
}

// Exchange is an information exchange held between units; the organizing unit takes part.
type Exchange struct {
	ID               int64   `db:"id" json:"id"`
	HeldOn           Date    `db:"held_on" json:"held_on"`
	Kind             string  `db:"kind" json:"kind"`
	Agency           string  `db:"agency" json:"agency"` // the organizing unit's agency
	OrganizingUnitID int64   `db:"organizing_unit" json:"organizing_unit"`
	UnitIDs          []int64 `db:"-" json:"units"`
	Summary          string  `db:"summary" json:"summary"`
	Removal
	Audit
}

// Tip is a piece of information a unit received, verified step by step, and maybe led to a case.
type Tip struct {
	ID           int64  `db:"id" json:"id"`
	ReceivedOn   Date   `db:"received_on" json:"received_on"`
	Agency       string `db:"agency" json:"agency"` // the source unit's agency
	SourceUnitID int64  `db:"source_unit" json:"source_unit"`
	ExchangeID   *int64 `db:"exchange_id" json:"exchange_id"`
	Subject      string `db:"subject" json:"subject"`
	Content      string `db:"content" json:"content"`
	CrimeType    string `db:"crime_type" json:"crime_type"`
	Status       string `db:"status" json:"status"`
	VerifiedOn   Date   `db:"verified_on" json:"verified_on"`
	CaseID       *int64 `db:"case_id" json:"case_id"`
	// SourceReliability and InformationValidity are the tip's grade on the 4×4 scale (one of
	// SourceReliabilities and one of InformationValidities), both nil until it is graded.
	SourceReliability   *string `db:"source_reliability" json:"source_reliability"`
	InformationValidity *string `db:"information_validity" json:"information_validity"`
	// HandlingNote says how the tip may be used or passed on (protecting the source…).
	HandlingNote string `db:"handling_note" json:"handling_note"`
	Removal
	Audit
}

// Grade is the tip's grade as the compact code written on intelligence reports, the source's
// letter then the information's digit ("B2"); "" when the tip is not graded.
func (t *Tip) Grade() string {
	if t.SourceReliability == nil || t.InformationValidity == nil {
		return ""
	}
	return *t.SourceReliability + *t.InformationValidity
}

// Earliest and latest event dates accepted: records go back to the regulation's time, and no
// event is in the future (the caller passes today).
var earliestDate = Date{1990, 1, 1}

func checkDate(f FieldErrors, field string, d Date, today Date, required bool) {
	switch {
	case d.IsZero() && required:
		f.Add(field, "Enter the date (dd/mm/yyyy).")
	case d.IsZero():
	case d.Before(earliestDate):
		f.Add(field, "The date is too far in the past.")
	case !today.IsZero() && d.After(today):
		f.Add(field, "The date cannot be in the future.")
	}
}

func checkChoice(f FieldErrors, field, v string, choices []string) {
	if !slices.Contains(choices, v) {
		f.Add(field, "Choose a value from the list.")
	}
}

// trimAll trims the given strings in place.
func trimAll(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}

// Normalize trims the agreement's text and upper-cases its agency codes, sorted and unique.
func (a *Agreement) Normalize() {
	trimAll(&a.Number, &a.Title, &a.LegalBasis)
	a.Agencies = NormalizeAgencies(a.Agencies)
}

// Validate checks the agreement's own fields; today bounds the signing date.
func (a *Agreement) Validate(today Date) error {
	f := FieldErrors{}
	validLine(f, "number", a.Number, 1, 64)
	validLine(f, "title", a.Title, 1, 500)
	checkDate(f, "signed_on", a.SignedOn, today, true)
	validText(f, "legal_basis", a.LegalBasis, 0, 2000)
	if len(a.Agencies) < 2 {
		f.Add("agencies", "Choose at least two agencies that signed the plan.")
	}
	return f.Err()
}

// Normalize trims the case's text, upper-cases agency codes and puts the lead agency among
// the agencies taking part.
func (c *Case) Normalize() {
	trimAll(&c.Code, &c.Title, &c.Summary, &c.CrimeType, &c.Area, &c.Status)
	c.LeadAgency = strings.ToUpper(strings.TrimSpace(c.LeadAgency))
	if c.LeadAgency != "" && !slices.Contains(c.Agencies, c.LeadAgency) {
		c.Agencies = append(c.Agencies, c.LeadAgency)
	}
	c.Agencies, c.Invited = NormalizeAgencies(c.Agencies), NormalizeAgencies(c.Invited)
}

// Validate checks the case's own fields (that the lead unit belongs to the lead agency and the
// agreement exists is the store's check); today bounds the dates.
func (c *Case) Validate(today Date) error {
	f := FieldErrors{}
	validLine(f, "code", c.Code, 1, 64)
	validLine(f, "title", c.Title, 1, 500)
	checkChoice(f, "crime_type", c.CrimeType, CrimeTypes)
	if c.LeadAgency == "" {
		f.Add("lead_agency", "Choose the lead agency.")
	}
	if c.LeadUnitID == 0 {
		f.Add("lead_unit", "Choose the unit that established the case.")
	}
	checkChoice(f, "area", c.Area, Areas)
	checkChoice(f, "status", c.Status, CaseStatuses)
	checkDate(f, "opened_on", c.OpenedOn, today, true)
	checkDate(f, "closed_on", c.ClosedOn, today, false)
	switch {
	case c.Status == CaseConcluded && c.ClosedOn.IsZero():
		f.Add("closed_on", "A concluded case needs its closing date.")
	case c.Status != CaseConcluded && !c.ClosedOn.IsZero():
		f.Add("closed_on", "Only a concluded case has a closing date.")
	case !c.ClosedOn.IsZero() && c.ClosedOn.Before(c.OpenedOn):
		f.Add("closed_on", "The closing date cannot be before the opening date.")
	}
	validText(f, "summary", c.Summary, 0, 20000)
	return f.Err()
}

var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// Normalize trims the suspect's text and upper-cases the nationality.
func (s *Suspect) Normalize() {
	trimAll(&s.FullName, &s.Gender, &s.IDNumber, &s.Address, &s.Notes)
	s.Nationality = strings.ToUpper(strings.TrimSpace(s.Nationality))
	if s.Gender == "" {
		s.Gender = "unknown"
	}
}

// Validate checks the suspect's own fields; today bounds the arrest date and birth year.
func (s *Suspect) Validate(today Date) error {
	f := FieldErrors{}
	validLine(f, "full_name", s.FullName, 1, 200)
	if s.BirthYear != nil && (*s.BirthYear < 1900 || (!today.IsZero() && *s.BirthYear > today.Year)) {
		f.Add("birth_year", "Enter a year of birth from 1900 to this year.")
	}
	checkChoice(f, "gender", s.Gender, Genders)
	if !countryRE.MatchString(s.Nationality) {
		f.Add("nationality", "Enter the nationality as a two-letter country code (VN, LA, KH, CN…).")
	}
	validLine(f, "id_number", s.IDNumber, 0, 32)
	validText(f, "address", s.Address, 0, 500)
	checkDate(f, "arrested_on", s.ArrestedOn, today, true)
	if s.ArrestingUnitID == 0 {
		f.Add("arresting_unit", "Choose the arresting unit.")
	}
	validText(f, "notes", s.Notes, 0, 5000)
	return f.Err()
}

// Normalize trims the seizure's text and upper-cases country codes; empty optional choices
// become nil.
func (s *Seizure) Normalize() {
	trimAll(&s.Category, &s.Description)
	for _, p := range []**string{&s.LocationType, &s.TransportMode, &s.DepartureCountry, &s.DestinationCountry} {
		if *p == nil {
			continue
		}
		v := strings.TrimSpace(**p)
		if v == "" {
			*p = nil
			continue
		}
		*p = &v
	}
	for _, p := range []*string{s.DepartureCountry, s.DestinationCountry} {
		if p != nil {
			*p = strings.ToUpper(*p)
		}
	}
}

// Validate checks the seizure's own fields; today bounds the seizure date.
func (s *Seizure) Validate(today Date) error {
	f := FieldErrors{}
	checkChoice(f, "category", s.Category, ItemCategories)
	if s.Quantity <= 0 {
		f.Add("quantity", "Enter a quantity greater than zero, e.g. 9,8 or 3.973.")
	} else if s.Quantity > maxQuantity {
		f.Add("quantity", "The quantity is too large.")
	}
	checkDate(f, "seized_on", s.SeizedOn, today, true)
	if s.SeizingUnitID == 0 {
		f.Add("seizing_unit", "Choose the seizing unit.")
	}
	if s.LocationType != nil {
		checkChoice(f, "location_type", *s.LocationType, LocationTypes)
	}
	if s.TransportMode != nil {
		checkChoice(f, "transport_mode", *s.TransportMode, TransportModes)
	}
	for field, c := range map[string]*string{"departure_country": s.DepartureCountry, "destination_country": s.DestinationCountry} {
		if c != nil && !countryRE.MatchString(*c) {
			f.Add(field, "Enter a two-letter country code (VN, LA, KH, CN…).")
		}
	}
	validText(f, "description", s.Description, 0, 5000)
	return f.Err()
}

// Normalize trims the exchange's text and makes the unit list unique, the organizer in it.
func (e *Exchange) Normalize() {
	trimAll(&e.Kind, &e.Summary)
	if e.OrganizingUnitID != 0 && !slices.Contains(e.UnitIDs, e.OrganizingUnitID) {
		e.UnitIDs = append(e.UnitIDs, e.OrganizingUnitID)
	}
	slices.Sort(e.UnitIDs)
	e.UnitIDs = slices.Compact(e.UnitIDs)
}

// Validate checks the exchange's own fields; today bounds the date.
func (e *Exchange) Validate(today Date) error {
	f := FieldErrors{}
	checkDate(f, "held_on", e.HeldOn, today, true)
	checkChoice(f, "kind", e.Kind, ExchangeKinds)
	if e.OrganizingUnitID == 0 {
		f.Add("organizing_unit", "Choose the organizing unit.")
	}
	if len(e.UnitIDs) < 2 {
		f.Add("units", "Choose the units taking part: at least one besides the organizer.")
	}
	validText(f, "summary", e.Summary, 0, 20000)
	return f.Err()
}

// Normalize trims the tip's text and upper-cases the source's grade; an empty grade code
// becomes nil (not graded).
func (t *Tip) Normalize() {
	trimAll(&t.Subject, &t.Content, &t.CrimeType, &t.Status, &t.HandlingNote)
	if t.Status == "" {
		t.Status = TipNew
	}
	for _, p := range []**string{&t.SourceReliability, &t.InformationValidity} {
		if *p == nil {
			continue
		}
		v := strings.ToUpper(strings.TrimSpace(**p))
		if v == "" {
			*p = nil
			continue
		}
		*p = &v
	}
}

// Validate checks the tip's own fields and its verification step; today bounds the dates.
func (t *Tip) Validate(today Date) error {
	f := FieldErrors{}
	checkDate(f, "received_on", t.ReceivedOn, today, true)
	if t.SourceUnitID == 0 {
		f.Add("source_unit", "Choose the unit that received the tip.")
	}
	validLine(f, "subject", t.Subject, 1, 500)
	validText(f, "content", t.Content, 0, 20000)
	checkChoice(f, "crime_type", t.CrimeType, CrimeTypes)
	checkChoice(f, "status", t.Status, TipStatuses)
	decided := t.Status == TipValuable || t.Status == TipNotValuable
	switch {
	case decided && t.VerifiedOn.IsZero():
		f.Add("verified_on", "A verified tip needs its verification date.")
	case !decided && !t.VerifiedOn.IsZero():
		f.Add("verified_on", "Only a tip verified as valuable or not valuable has a verification date.")
	case !t.VerifiedOn.IsZero():
		checkDate(f, "verified_on", t.VerifiedOn, today, false)
		if t.VerifiedOn.Before(t.ReceivedOn) {
			f.Add("verified_on", "The verification date cannot be before the date received.")
		}
	}
	if t.CaseID != nil && t.Status != TipValuable {
		f.Add("case_id", "Only a valuable tip can lead to a case.")
	}
	t.validateGrade(f)
	validText(f, "handling_note", t.HandlingNote, 0, 2000)
	return f.Err()
}

// validateGrade checks the tip's grade: none, or both codes from their scales. Half a grade
// is refused: the scales have a code for what cannot be judged (X, 4).
func (t *Tip) validateGrade(f FieldErrors) {
	r, v := t.SourceReliability, t.InformationValidity
	if r != nil && !slices.Contains(SourceReliabilities, *r) {
		f.Add("source_reliability", "Choose the reliability of the source: A, B, C or X.")
	}
	if v != nil && !slices.Contains(InformationValidities, *v) {
		f.Add("information_validity", "Choose the validity of the information: 1, 2, 3 or 4.")
	}
	switch {
	case r != nil && v == nil:
		f.Add("information_validity", "Grade the information too: a graded tip has both codes (4 when it cannot be judged).")
	case r == nil && v != nil:
		f.Add("source_reliability", "Grade the source too: a graded tip has both codes (X when it cannot be judged).")
	}
}

// NormalizeAgencies upper-cases, sorts in the agencies' stable order and removes duplicates.
func NormalizeAgencies(in []string) []string {
	order := map[string]int{AgencyPolice: 1, AgencyBorderGuard: 2, AgencyCoastGuard: 3, AgencyCustoms: 4}
	out := make([]string, 0, len(in))
	for _, a := range in {
		a = strings.ToUpper(strings.TrimSpace(a))
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int {
		oa, ob := order[a], order[b]
		if oa == 0 {
			oa = 99
		}
		if ob == 0 {
			ob = 99
		}
		return oa - ob
	})
	return out
}
