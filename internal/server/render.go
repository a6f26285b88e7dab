package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/web"
)

// Base is embedded in every page's data (as pkgsite's page.BasePage): the locale, the page
// title and what the layout needs, the confirmation of the last change and the messages of a
// refused form.
type Base struct {
	Locale
	User      *phoihop.User // the signed-in user, nil on the sign-in page
	Nav       nav
	Title     string
	Path      string // the request path, for the language switch to come back to
	RequestID string
	Version   string
	Flash     string            // confirmation of the change that redirected here (translated)
	Error     string            // a message about the whole form or page (translated)
	Fields    map[string]string // messages about form fields, by field name (translated)
}

// renderer holds one parsed template set per page: the layout, the partials and the page.
type renderer struct {
	pages map[string]*template.Template
}

func newRenderer() (*renderer, error) {
	files, err := fs.Glob(web.FS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(web.FS,
			"templates/layout/*.html", "templates/partials/*.html", f)
		if err != nil {
			return nil, fmt.Errorf("server: parse page %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

var templateFuncs = template.FuncMap{
	"hasPrefix": strings.HasPrefix,
	// dict builds a map for passing several values to a partial: dict "A" 1 "B" 2.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				m[k] = kv[i+1]
			}
		}
		return m
	},
}

// render executes the page into a buffer, then writes it with the status, so a template error
// becomes a clean 500 and never half a page.
func (s *Server) render(c *gin.Context, status int, page string, data any) error {
	t, ok := s.renderer.pages[page]
	if !ok {
		return fmt.Errorf("server: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("server: render %s: %w", page, err)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// base returns the Base of a page for the request.
func (s *Server) base(c *gin.Context, titleID string) Base {
	l := s.tr.locale(c.GetString(ctxLang))
	b := Base{
		Locale:    l,
		Title:     l.T(titleID),
		Path:      c.Request.URL.Path,
		RequestID: httpd.RequestID(c),
		Version:   s.deps.Version,
	}
	if u := httpd.CurrentUser(c); u != nil && !u.MustChangePassword {
		b.User = u
		b.Nav = s.navFor(u)
		if b.Nav.Records {
			b.Nav.Unread = s.unreadCount(c)
		}
	} else if u != nil {
		b.User = u
	}
	return b
}

// nav says which sections the menu offers the user: the records (their readers), the
// administration (account managers), or only the audit log (leaders, who read it without
// managing accounts).
type nav struct {
	Records bool // cases, exchanges, tips and plans (record readers)
	Reports bool // the summary report (report readers)
	Import  bool // the import of records from Excel (record writers)
	Admin   bool
	Audit   bool
	Unread  int // requests in the inbox with news the user has not read
}

// unreadCount is the header's count of unread requests in the user's inbox; a failure to
// count is logged and shows no count rather than failing the page.
func (s *Server) unreadCount(c *gin.Context) int {
	n, err := s.deps.Store.UnreadCount(c, s.scope(c), inboxOwner(c))
	if err != nil {
		s.log.Error("count unread requests", "request_id", httpd.RequestID(c), "err", err)
		return 0
	}
	return n
}

func (s *Server) navFor(u *phoihop.User) nav {
	sub := store.RoleSubject(u.Username)
	n := nav{Admin: s.deps.Authz.AllowedAnywhere(sub, "user", "manage"),
		Records: s.deps.Authz.AllowedAnywhere(sub, "record", "read"),
		Reports: s.deps.Authz.AllowedAnywhere(sub, "report", "read"),
		Import:  s.deps.Authz.AllowedAnywhere(sub, "record", "write")}
	n.Audit = !n.Admin && s.deps.Authz.AllowedAnywhere(sub, "audit", "read")
	return n
}
