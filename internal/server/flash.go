package server

import "github.com/gin-gonic/gin"

// flashes are the confirmations a redirect may ask for with ?ok=KEY, by the part of the site
// whose pages show them: the message id of each key.
var flashes = map[string]map[string]string{
	"admin": {
		"saved":        "admin.ok.saved",
		"disabled":     "admin.ok.disabled",
		"enabled":      "admin.ok.enabled",
		"unlocked":     "admin.ok.unlocked",
		"role_added":   "admin.ok.role_added",
		"role_removed": "admin.ok.role_removed",
		"unit_created": "admin.ok.unit_created",
		"renamed":      "admin.ok.renamed",
		"moved":        "admin.ok.moved",
		"retired":      "admin.ok.retired",
		"permissions":  "admin.ok.permissions",
		"unchanged":    "admin.ok.unchanged",
	},
	"cases": {
		"created":           "cases.ok.created",
		"saved":             "cases.ok.saved",
		"removed":           "cases.ok.removed",
		"suspect_added":     "cases.ok.suspect_added",
		"suspect_saved":     "cases.ok.suspect_saved",
		"suspect_removed":   "cases.ok.suspect_removed",
		"seizure_added":     "cases.ok.seizure_added",
		"seizure_saved":     "cases.ok.seizure_saved",
		"seizure_removed":   "cases.ok.seizure_removed",
		"agreement_saved":   "cases.ok.agreement_saved",
		"agreement_created": "cases.ok.agreement_created",
		"agreement_removed": "cases.ok.agreement_removed",
		"task_added":        "tasks.ok.added",
		"task_saved":        "tasks.ok.saved",
		"task_done":         "tasks.ok.done",
		"task_removed":      "tasks.ok.removed",
	},
	"exchanges": {
		"created": "exchanges.ok.created",
		"saved":   "exchanges.ok.saved",
		"removed": "exchanges.ok.removed",
	},
	"imports": {
		"committed":  "imports.ok.committed",
		"committing": "imports.ok.committing",
		"undone":     "imports.ok.undone",
	},
	"issued": {
		"issued": "issued.ok.issued",
	},
	"locks": {
		"locked":   "locks.ok.locked",
		"unlocked": "locks.ok.unlocked",
	},
	"requests": {
		"sent":     "requests.ok.sent",
		"accept":   "requests.ok.accept",
		"decline":  "requests.ok.decline",
		"answer":   "requests.ok.answer",
		"close":    "requests.ok.close",
		"withdraw": "requests.ok.withdraw",
		"read":     "requests.ok.read",
	},
}

// confirm shows the confirmation the request asks for with ?ok=, among those of the part of
// the site (a key of flashes); an unknown one shows nothing.
func (p *Base) confirm(c *gin.Context, part string) {
	if id, ok := flashes[part][c.Query("ok")]; ok {
		p.Flash = p.T(id)
	}
}
