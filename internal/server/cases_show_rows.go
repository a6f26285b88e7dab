package server

import (
	"strconv"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The case page shows its arrests and seizures as rows of ready texts, built once per request
// with the page's locale, so the template only reads fields: calling the page's methods for
// every cell through reflection cost most of the page's time.

// suspectRow is an arrest as a row of the case page shows it.
type suspectRow struct {
	FullName     string
	Notes        string
	BirthYear    string // "" when not known
	Gender       string // the gender's name
	Nationality  string
	IDNumber     string
	Address      string
	ArrestedOn   string
	Agency       string
	UnitName     string
	Removed      bool
	DeleteReason string
	EditURL      string
	Remove       *removeForm // nil when the user may not change the arrest
}

// seizureRow is a seizure as a row of the case page shows it.
type seizureRow struct {
	Category     string // the category's name
	Description  string
	Quantity     string // with its unit of measure: "3.973 viên"
	SeizedOn     string
	Agency       string
	UnitName     string
	Location     string // the location type's name, "" when not known
	Transport    string // the mode of transport's name, "" when not known
	Route        string // "LA → VN", "? → VN"; "" when neither country is known
	Removed      bool
	DeleteReason string
	EditURL      string
	Remove       *removeForm // nil when the user may not change the seizure
}

// removeForm is the inline form that removes a record, ready to show: Field is the id of its
// reason input and the key of that input's message in the page's Fields.
type removeForm struct {
	Action  string
	Version int
	Field   string
	Error   string // the message about the reason, "" for none
	Label   string // the text of the toggle
	Reason  string // the label and placeholder of the reason
	Confirm string // the text of the button
}

// caseRowTexts are the texts every row of a case page looks up, once per page.
type caseRowTexts struct {
	l                       Locale
	caseID                  string
	sc                      store.Scope
	genders                 map[string]string
	locations, transports   map[string]string
	measures                map[string]string
	remove, reason, confirm string
}

// newCaseRowTexts returns the texts of the rows of case caseID in locale l for a user of scope sc.
func newCaseRowTexts(l Locale, caseID int64, sc store.Scope) *caseRowTexts {
	return &caseRowTexts{l: l, caseID: strconv.FormatInt(caseID, 10), sc: sc,
		genders:    vocabLabels(l, "cases.gender.", phoihop.Genders),
		locations:  vocabLabels(l, "cases.location.", phoihop.LocationTypes),
		transports: vocabLabels(l, "cases.transport.", phoihop.TransportModes),
		measures:   map[string]string{},
		remove:     l.T("cases.remove"), reason: l.T("cases.remove_reason"), confirm: l.T("cases.remove_confirm")}
}

// vocabLabels returns the names of a vocabulary's values by value.
func vocabLabels(l Locale, prefix string, values []string) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[v] = l.T(prefix + v)
	}
	return m
}

// label returns the name of v in m, v itself when unknown (as caseLabel does), "" for none.
func label(m map[string]string, v *string) string {
	if v == nil {
		return ""
	}
	if n, ok := m[*v]; ok {
		return n
	}
	return *v
}

// removeForm returns the removal form of a record at path (without its "/remove").
func (t *caseRowTexts) removeForm(path string, version int, field, label string) *removeForm {
	return &removeForm{Action: path + "/remove", Version: version, Field: field, Label: label,
		Reason: t.reason, Confirm: t.confirm}
}

// suspectRows returns the rows of the arrests; those of agencies the user writes, and not
// removed, with their edit link and removal form.
func (t *caseRowTexts) suspectRows(items []store.SuspectItem) []suspectRow {
	rows := make([]suspectRow, len(items))
	for i := range items {
		sp := &items[i]
		r := &rows[i]
		*r = suspectRow{FullName: sp.FullName, Notes: sp.Notes, Gender: label(t.genders, &sp.Gender),
			Nationality: sp.Nationality, IDNumber: sp.IDNumber, Address: sp.Address,
			ArrestedOn: sp.ArrestedOn.FormatVN(), Agency: sp.Agency, UnitName: sp.UnitName,
			Removed: sp.Removed(), DeleteReason: orEmpty(sp.DeleteReason)}
		if sp.BirthYear != nil {
			r.BirthYear = strconv.Itoa(*sp.BirthYear)
		}
		if t.sc.CanWrite(sp.Agency) && !r.Removed {
			id := strconv.FormatInt(sp.ID, 10)
			path := "/cases/" + t.caseID + "/suspects/" + id
			r.EditURL = path + "/edit"
			r.Remove = t.removeForm(path, sp.Version, "reason-s-"+id, t.remove)
		}
	}
	return rows
}

// seizureRows returns the rows of the seizures, like suspectRows.
func (t *caseRowTexts) seizureRows(items []store.SeizureItem) []seizureRow {
	rows := make([]seizureRow, len(items))
	for i := range items {
		z := &items[i]
		r := &rows[i]
		*r = seizureRow{Category: z.CategoryNameVI, Description: z.Description,
			Quantity: z.Quantity.Format(t.l.Lang) + "\u00a0" + t.measure(z.CategoryUnit),
			SeizedOn: z.SeizedOn.FormatVN(), Agency: z.Agency, UnitName: z.UnitName,
			Location: label(t.locations, z.LocationType), Transport: label(t.transports, z.TransportMode),
			Removed: z.Removed(), DeleteReason: orEmpty(z.DeleteReason)}
		if t.l.Lang == "en" {
			r.Category = z.CategoryNameEN
		}
		if z.DepartureCountry != nil || z.DestinationCountry != nil {
			r.Route = orUnknown(z.DepartureCountry) + " → " + orUnknown(z.DestinationCountry)
		}
		if t.sc.CanWrite(z.Agency) && !r.Removed {
			id := strconv.FormatInt(z.ID, 10)
			path := "/cases/" + t.caseID + "/seizures/" + id
			r.EditURL = path + "/edit"
			r.Remove = t.removeForm(path, z.Version, "reason-z-"+id, t.remove)
		}
	}
	return rows
}

// measure returns the name of a unit of measure, the unit itself when the catalog lacks it.
func (t *caseRowTexts) measure(unit string) string {
	if m, ok := t.measures[unit]; ok {
		return m
	}
	m := t.l.T("measure." + unit)
	if m == "measure."+unit {
		m = unit
	}
	t.measures[unit] = m
	return m
}

// orEmpty returns the text of an optional string, "" for none.
func orEmpty(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

// orUnknown returns the text of an optional string, "?" for none.
func orUnknown(v *string) string {
	if v == nil {
		return "?"
	}
	return *v
}

// showRemoveErrors puts the messages of the page's Fields on its removal forms, once a refused
// removal has filled Fields (refuseOnCase).
func (p *caseShowPage) showRemoveErrors() {
	set := func(f *removeForm) {
		if f != nil {
			f.Error = p.Fields[f.Field]
		}
	}
	set(p.CaseRemove)
	for i := range p.Suspects {
		set(p.Suspects[i].Remove)
	}
	for i := range p.Seizures {
		set(p.Seizures[i].Remove)
	}
}
