package store

// The rows an import brings in, as the reader of the workbook (internal/imports) hands them to
// the store: each kind's record with its fields typed, and the human keys by which it names
// other records (a unit by its code or exact name, a case by its code, an exchange by its date
// and organizing unit), which the store resolves in the importer's scope.

import "phoihop/internal/phoihop"

// ImportAt is where a row is in the uploaded workbook: the sheet's name as the file has it and
// the row number Excel shows (the header is row 1).
type ImportAt struct {
	Sheet string
	Row   int
}

// ImportProblem is one error (or warning) of an import: the sheet, the row Excel shows (0 for
// the sheet as a whole), the column's field ("" for the row or the sheet as a whole) and the
// message in English (translated by the pages and the API like every domain message).
type ImportProblem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
	// MessageID, when set, names the catalog message (web/locales) that says Message in each
	// language, filled with Args (name/value pairs, as phoihop.Error's): a message that names
	// a row, a limit or a value. "" when Message itself is the catalog's id (gettext style).
	MessageID string `json:"-"`
	Args      []any  `json:"-"`
}

// ImportCase is a row of the cases sheet. Case holds the typed fields (its LeadUnitID,
// LeadAgency and AgreementID are left zero: the store resolves LeadUnit and Agreement).
// Case.Agencies are the agencies taking part besides the lead, as the row lists them.
type ImportCase struct {
	ImportAt
	Case      phoihop.Case
	LeadUnit  string // the lead unit's code or exact name
	Agreement string // the coordination plan's number, "" for none
	// Bad are the fields the reader could not read (a date that is no date…), already reported:
	// the store does not report them again nor rules that depend on them.
	Bad map[string]bool
}

// ImportArrest is a row of the arrests sheet; Suspect's CaseID and ArrestingUnitID are left
// zero for the store to resolve from CaseCode and ArrestingUnit.
type ImportArrest struct {
	ImportAt
	Suspect       phoihop.Suspect
	CaseCode      string
	ArrestingUnit string
	Bad           map[string]bool
}

// ImportSeizure is a row of the seizures sheet; Seizure's CaseID and SeizingUnitID are left
// zero for the store to resolve from CaseCode and SeizingUnit.
type ImportSeizure struct {
	ImportAt
	Seizure     phoihop.Seizure
	CaseCode    string
	SeizingUnit string
	Bad         map[string]bool
}

// ImportExchange is a row of the exchanges sheet; Exchange's OrganizingUnitID and UnitIDs are
// left empty for the store to resolve from OrganizingUnit and Units (the units taking part
// besides the organizer, each a code or an exact name).
type ImportExchange struct {
	ImportAt
	Exchange       phoihop.Exchange
	OrganizingUnit string
	Units          []string
	Bad            map[string]bool
}

// ImportTip is a row of the tips sheet; Tip's SourceUnitID, ExchangeID and CaseID are left
// empty for the store to resolve from SourceUnit, the exchange's date and organizing unit
// (ExchangeHeldOn, ExchangeUnit; both empty for a tip from no exchange) and CaseCode.
type ImportTip struct {
	ImportAt
	Tip            phoihop.Tip
	SourceUnit     string
	ExchangeHeldOn phoihop.Date
	ExchangeUnit   string
	CaseCode       string
	Bad            map[string]bool
}
