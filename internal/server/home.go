package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/web"
)

// homePage is the data of the home page.
type homePage struct {
	Base
	Agencies   []agencyCard
	Categories []phoihop.ItemCategory
	CrimeTypes []phoihop.CrimeType
}

type agencyCard struct {
	phoihop.Agency
	Units int64
}

func (s *Server) home(c *gin.Context) error {
	ctx := c.Request.Context()
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return err
	}
	counts, err := s.deps.Store.UnitCounts(ctx, phoihop.Today(s.deps.Store.Now()))
	if err != nil {
		return err
	}
	cats, err := s.deps.Store.ItemCategories(ctx)
	if err != nil {
		return err
	}
	crimes, err := s.deps.Store.CrimeTypes(ctx)
	if err != nil {
		return err
	}
	p := homePage{Base: s.base(c, "home.title"), Categories: cats, CrimeTypes: crimes}
	for _, a := range agencies {
		p.Agencies = append(p.Agencies, agencyCard{Agency: a, Units: counts[a.Code]})
	}
	return s.render(c, http.StatusOK, "home", p)
}

// setLanguage stores the chosen language in a cookie and goes back to the page it came from.
func (s *Server) setLanguage(c *gin.Context) error {
	l := lang(c.PostForm("lang"))
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(langCookie, l, 365*24*3600, "/", "", s.deps.SecureCookies, true)
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
	return nil
}

// static serves the embedded files under web/static; folders are not listed.
func (s *Server) static(c *gin.Context) error {
	name := "static/" + strings.TrimPrefix(c.Param("filepath"), "/")
	st, err := fs.Stat(web.FS, name)
	if err != nil || st.IsDir() {
		return phoihop.Errorf(phoihop.ENotFound, "The file was not found.")
	}
	c.Header("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(c.Writer, c.Request, web.FS, name)
	return nil
}
