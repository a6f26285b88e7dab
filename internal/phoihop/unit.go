package phoihop

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Unit kinds.
var UnitKinds = []string{
	"headquarters",   // provincial command / department headquarters
	"department",     // a department (phòng) of a headquarters
	"district",       // district police
	"border_post",    // đồn Biên phòng
	"border_gate",    // border gate station
	"customs_branch", // chi cục Hải quan
	"flotilla",       // coast guard flotilla
	"team",           // a team (đội) inside a unit
	"other",
}

var unitCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_.-]{0,31}$`)

// Unit is a unit of an agency. Units form a tree per agency (ParentID) and are valid from
// ValidFrom to ValidTo inclusive: they are merged and renamed over time, and records keep the
// unit they were entered under. ValidFrom zero is a unit whose first day in service is not
// known: it is in service since always, so records of any date may name it (stored as NULL,
// shown as null in JSON). ValidTo zero is a unit still in service.
type Unit struct {
	ID        int64  `db:"id" json:"id"`
	Agency    string `db:"agency" json:"agency"`
	ParentID  *int64 `db:"parent_id" json:"-"`
	Code      string `db:"code" json:"code"`
	Name      string `db:"name" json:"name"`
	Kind      string `db:"kind" json:"kind"`
	Border    bool   `db:"border" json:"border"`
	ValidFrom Date   `db:"valid_from" json:"valid_from"`
	ValidTo   Date   `db:"valid_to" json:"valid_to"`
	Audit
}

// Audit holds the optimistic-locking version and the who/when columns of an editable row.
type Audit struct {
	Version   int       `db:"version" json:"version"`
	CreatedAt time.Time `db:"created_at" json:"-"`
	CreatedBy *int64    `db:"created_by" json:"-"`
	UpdatedAt time.Time `db:"updated_at" json:"-"`
	UpdatedBy *int64    `db:"updated_by" json:"-"`
}

// ActiveOn reports whether the unit is in service on day d: from its first day (any day when
// it has none) to its last day (any later day when it has none).
func (u *Unit) ActiveOn(d Date) bool {
	return (u.ValidFrom.IsZero() || !d.Before(u.ValidFrom)) && (u.ValidTo.IsZero() || !d.After(u.ValidTo))
}

// Normalize trims the unit's text fields and upper-cases its code.
func (u *Unit) Normalize() {
	u.Code = strings.ToUpper(strings.TrimSpace(u.Code))
	u.Name = strings.TrimSpace(u.Name)
	u.Agency = strings.ToUpper(strings.TrimSpace(u.Agency))
	u.Kind = strings.TrimSpace(u.Kind)
}

// Validate checks the unit's own fields (whether the agency and the parent exist is the
// store's check); it returns an EInvalid *Error naming each bad field.
func (u *Unit) Validate() error {
	f := FieldErrors{}
	if !IsAgencyCode(u.Agency) {
		f.Add("agency", "Choose the agency.")
	}
	switch {
	case u.Code == "":
		f.Add("code", "Enter the unit code.")
	case !unitCodeRE.MatchString(u.Code):
		f.Add("code", "Use 1 to 32 letters A-Z, digits, dots, dashes or underscores, starting with a letter or digit.")
	}
	validLine(f, "name", u.Name, 1, 200)
	if !slices.Contains(UnitKinds, u.Kind) {
		f.Add("kind", "Choose a kind of unit from the list.")
	}
	if !u.ValidTo.IsZero() && !u.ValidFrom.IsZero() && u.ValidTo.Before(u.ValidFrom) {
		f.Add("valid_to", "The end of service cannot be before the start of service.")
	}
	if u.ParentID != nil && u.ID != 0 && *u.ParentID == u.ID {
		f.Add("parent", "A unit cannot be its own parent.")
	}
	return f.Err()
}
