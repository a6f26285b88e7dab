package request

import (
	"net/url"
	"strings"
)

// SortLink is the header of one sortable column of a list: the address that sorts the list
// by it, and, for the column the list is sorted by now, the arrow and the aria-sort value.
type SortLink struct {
	URL  string
	Mark string // "▲" ascending, "▼" descending, "" when the list is not sorted by the column
	Aria string // "ascending", "descending" or ""
}

// SortLinks returns the header links of a list at u sorted by current ("key", "key asc" or
// "key desc"; def when empty). keys maps each sortable column to whether it sorts newest or
// largest first by default. A column sorts in its default direction, the current one in the
// other direction; the links keep the list's filters but its page and confirmation.
func SortLinks(u *url.URL, current, def string, keys map[string]bool) map[string]SortLink {
	cur := strings.Fields(strings.ToLower(current))
	if len(cur) == 0 {
		cur = strings.Fields(def)
	}
	out := make(map[string]SortLink, len(keys))
	for key, defaultDesc := range keys {
		desc, link := defaultDesc, SortLink{}
		if len(cur) > 0 && cur[0] == key {
			curDesc := defaultDesc
			if len(cur) > 1 {
				curDesc = cur[1] == "desc"
			}
			desc = !curDesc
			link.Mark, link.Aria = "▲", "ascending"
			if curDesc {
				link.Mark, link.Aria = "▼", "descending"
			}
		}
		dir := "asc"
		if desc {
			dir = "desc"
		}
		q := u.Query()
		q.Set("sort", key+" "+dir)
		q.Del("page")
		q.Del("ok")
		link.URL = u.Path + "?" + q.Encode()
		out[key] = link
	}
	return out
}
