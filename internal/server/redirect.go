package server

import (
	"net/url"
	"strings"

	"phoihop/internal/httpd"
)

// maxNextLength bounds a redirect target taken from a request; the links the site makes are
// far shorter.
const maxNextLength = 2000

// localPath returns next when it is a path of this site that every browser, proxy and Go's
// own http.Redirect read the same way, and "/" otherwise, so that no parameter of a request
// (the sign-in page's next, the language switch's) can send a user to another site. It is
// the only judge of such targets: use it for every redirect whose target comes from a request.
//
// A kept next is a single "/" followed by printable ASCII (links the site makes are escaped)
// with no backslash, at most maxNextLength bytes, that net/url reads as a path with no
// scheme or host, whose path part has no encoded "/", "\" or "%" (a proxy or browser decoding
// them once more would read "/%2F/evil" as "//evil") and is clean: no empty, "." or ".."
// segments, no encoded control characters. The query and fragment are kept as they are.
func localPath(next string) string {
	if isLocalPath(next) {
		return next
	}
	return "/"
}

func isLocalPath(next string) bool {
	if next == "" || len(next) > maxNextLength || next[0] != '/' {
		return false
	}
	for i := 0; i < len(next); i++ {
		// Browsers drop tabs and newlines inside a URL ("/\t/evil" is "//evil") and read "\"
		// as "/"; spaces, other controls and raw non-ASCII never appear in the site's links.
		if b := next[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" {
		return false
	}
	rawPath := next
	if i := strings.IndexAny(next, "?#"); i >= 0 {
		rawPath = next[:i]
	}
	lower := strings.ToLower(rawPath)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%25") {
		return false
	}
	if strings.ContainsFunc(u.Path, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return false
	}
	return httpd.CleanPath(u.Path) == u.Path
}
