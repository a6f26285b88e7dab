package phoihop

import (
	"unicode"
	"unicode/utf8"
)

// The rules of the text users type, shared by every Validate. Text is valid UTF-8 (what the
// databases store; PostgreSQL refuses anything else, and NUL too). Control characters
// (unicode.IsControl: C0, DEL and C1) never belong in it: they are invisible, NUL cuts the
// text short in C programs and breaks PostgreSQL, ESC drives terminals that show logs and
// exports, and the C1 controls, NEL (U+0085) among them, only come from text decoded with
// the wrong code page; NEL and the Unicode line and paragraph separators (U+2028, U+2029) are
// line breaks for some readers and not others, so one record would show differently in the
// page, the export and the API. What remains:
//   - a line (names, codes, numbers, titles, subjects, reasons): no control character at all,
//     not even a tab, and no line or paragraph separator;
//   - a text (summaries, contents, notes, descriptions, addresses, legal bases): tabs and
//     line breaks, LF or CR LF as browsers send a text area's, and nothing else of the above.

// validLine adds a message for field unless s is a one-line text of min to max characters.
func validLine(f FieldErrors, field, s string, min, max int) {
	checkText(f, field, s, min, max, false)
}

// validText adds a message for field unless s is a free text of min to max characters whose
// only control characters are tabs and line breaks.
func validText(f FieldErrors, field, s string, min, max int) {
	checkText(f, field, s, min, max, true)
}

func checkText(f FieldErrors, field, s string, min, max int, multiline bool) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "The text contains invalid characters.")
	case !multiline && !isLine(s):
		f.Add(field, "This field cannot contain line breaks, tabs or other control characters.")
	case multiline && !isText(s):
		f.Add(field, "The text contains control characters; only tabs and line breaks are allowed.")
	case n < min && min == 1:
		f.Add(field, "This field is required.")
	case n < min:
		f.Add(field, "The text is too short.")
	case n > max:
		f.Add(field, "The text is too long.")
	}
}

// isLine reports whether s holds no control character and no line or paragraph separator.
func isLine(s string) bool {
	for _, r := range s {
		if forbiddenInText(r) {
			return false
		}
	}
	return true
}

// isText reports whether the only control characters of s are tabs, LF, and CR before LF.
func isText(s string) bool {
	for i, r := range s {
		switch {
		case r == '\t', r == '\n':
		case r == '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				return false
			}
		case forbiddenInText(r):
			return false
		}
	}
	return true
}

func forbiddenInText(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// CheckText adds a message for field unless s is a free text of min to max characters whose
// only control characters are tabs and line breaks: validText for the texts that are not a
// record's own field (a request's reason or result).
func CheckText(f FieldErrors, field, s string, min, max int) { validText(f, field, s, min, max) }
