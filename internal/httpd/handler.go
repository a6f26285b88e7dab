package httpd

import (
	"context"
	"net/http"
	"path"
	"strings"
)

// APIPrefix starts every path of the JSON API.
const APIPrefix = "/api/"

// Handler puts the parts of the application behind one address: the JSON API serves the
// paths under /api/, the pages everything else. Around both it refuses cross-origin state
// changes (a request whose Origin or Sec-Fetch-Site shows another site gets 403) and serves
// requests by their cleaned path (cleanPaths).
func Handler(pages, api http.Handler) http.Handler {
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, APIPrefix) {
			api.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Through the part, marked: the refusal gets the headers, request id, log line and
		// error body of every other answer, and refuseCrossOrigin answers it before any
		// handler runs.
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), crossOriginDenied{}, true)))
	}))
	return cleanPaths(cop.Handler(mux))
}

// CleanPath is path.Clean keeping a trailing slash: "//a/./b/../c/" is "/a/c/".
func CleanPath(p string) string {
	c := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// cleanPaths hands h the request with its path cleaned (no repeated slashes, no "." or ".."
// segments). The router matches cleaned paths anyway, but builds its trailing-slash redirect
// from the path as sent: "//evil.example/../cases/" would be answered "Location:
// //evil.example/../cases", which a browser follows to another site; and the paths must be
// clean before they are sent to the pages or the API.
func cleanPaths(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasPrefix(p, "/") && CleanPath(p) != p {
			r2 := new(http.Request)
			*r2 = *r
			u := *r.URL
			u.Path, u.RawPath = CleanPath(p), ""
			r2.URL = &u
			r = r2
		}
		h.ServeHTTP(w, r)
	})
}
