package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Normalize folds text for search: lower case, Vietnamese (and any other) diacritics removed,
// đ/Đ turned into d, runs of white space and control characters made one space, leading and trailing space dropped.
// "Trần Thắng Phúc" and "tran  thang PHUC" both become "tran thang phuc". The same function
// fills the *_search columns and folds what users type into the search box.
func Normalize(s string) string {
	// NFD splits "ắ" into "a" + breve + acute; dropping the marks (category Mn) leaves the
	// base letters. đ has no decomposition, so it is mapped by hand.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	for _, r := range folded {
		switch {
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r), unicode.IsControl(r):
			// Stored text holds no control characters but tabs and line breaks, which fold
			// to a space: a search typed with others (NUL breaks PostgreSQL) matches as
			// if they were spaces.
			space = b.Len() > 0
			continue
		default:
			r = unicode.ToLower(r)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
