package reports

import (
	"fmt"
	"strings"

	"phoihop/internal/store"
)

// The line of the summary sheet saying whose figures are approved (locked) for the period:
// under the scope line, only when some are, so a sheet of figures not approved is unchanged.

// approvedTexts are its words by language: the line's format, the whole period, part of it.
var approvedTexts = map[string][3]string{
	"vi": {"Số liệu đã được phê duyệt: %s.", "cả kỳ", "một phần kỳ, %s – %s"},
	"en": {"Figures approved: %s.", "whole period", "part of the period, %s – %s"},
}

// approvedLine says which agencies' figures are approved for the period of s, in whole or in
// part; "" when none is.
func approvedLine(s *store.Summary, lang string) string {
	if len(s.Approved) == 0 {
		return ""
	}
	w, ok := approvedTexts[lang]
	if !ok {
		w = approvedTexts["vi"]
	}
	parts := make([]string, len(s.Approved))
	for i, a := range s.Approved {
		how := w[1]
		if !a.Whole {
			how = fmt.Sprintf(w[2], a.From.FormatVN(), a.To.FormatVN())
		}
		parts[i] = agencyNames.name(a.Agency, lang) + " (" + how + ")"
	}
	return fmt.Sprintf(w[0], strings.Join(parts, ", "))
}
