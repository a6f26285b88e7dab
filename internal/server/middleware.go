package server

import (
	"github.com/gin-gonic/gin"
)

// ctxLang is the key of the interface language on the Gin context.
const ctxLang = "phoihop.lang"

// langCookie holds the chosen interface language.
const langCookie = "phoihop_lang"

// language picks the interface language from the language cookie; Vietnamese by default.
func (s *Server) language(c *gin.Context) {
	l, _ := c.Cookie(langCookie)
	c.Set(ctxLang, lang(l))
	c.Next()
}
