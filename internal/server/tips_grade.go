package server

import (
	"slices"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The grade of a tip on the pages: the 4×4 scale's codes with their names.

// ReliabilityLabel returns the name of a source reliability code (A, B, C, X) in the page's
// language, the code itself when unknown.
func (p recordPage) ReliabilityLabel(code string) string {
	if slices.Contains(phoihop.SourceReliabilities, code) {
		return p.T("tips.reliability." + code)
	}
	return code
}

// ValidityLabel returns the name of an information validity code (1 to 4) in the page's
// language, the code itself when unknown.
func (p recordPage) ValidityLabel(code string) string {
	if slices.Contains(phoihop.InformationValidities, code) {
		return p.T("tips.validity." + code)
	}
	return code
}

// GradeNames spells out a grade, the source's name then the information's ("Thường tin cậy ·
// Nguồn tin trực tiếp biết"); "" when the tip is not graded.
func (p recordPage) GradeNames(reliability, validity *string) string {
	if reliability == nil || validity == nil {
		return ""
	}
	return p.ReliabilityLabel(*reliability) + " · " + p.ValidityLabel(*validity)
}

// gradeOptions are the choices of the two scales, each labelled by its code and name
// ("B — Thường tin cậy").
func (p recordPage) gradeOptions() (reliabilities, validities []option) {
	for _, c := range phoihop.SourceReliabilities {
		reliabilities = append(reliabilities, option{Value: c, Label: c + " — " + p.ReliabilityLabel(c)})
	}
	for _, c := range phoihop.InformationValidities {
		validities = append(validities, option{Value: c, Label: c + " — " + p.ValidityLabel(c)})
	}
	return reliabilities, validities
}

// reliabilityFilterOptions are the choices of the list's filter by the source's grade: the
// four codes, then the tips not graded yet.
func (p recordPage) reliabilityFilterOptions() []option {
	out, _ := p.gradeOptions()
	return append(out, option{Value: store.TipNotGraded, Label: p.T("tips.show.not_graded")})
}

// codeOf is the code a grade pointer holds, "" for none: the value of a form's select.
func codeOf(code *string) string {
	if code == nil {
		return ""
	}
	return *code
}
