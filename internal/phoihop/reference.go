package phoihop

import "regexp"

// Agency codes fixed by DESIGN.md, in the stable order reports list them.
const (
	AgencyPolice      = "CA"
	AgencyBorderGuard = "BP"
	AgencyCoastGuard  = "CSB"
	AgencyCustoms     = "HQ"
)

// DomainAll is the Casbin domain that covers every agency.
const DomainAll = "*"

var agencyCodeRE = regexp.MustCompile(`^[A-Z]{2,8}$`)

// IsAgencyCode reports whether code has the shape of an agency code, 2 to 8 letters A-Z (the
// agencies table's check); whether the agency exists is the store's check.
func IsAgencyCode(code string) bool { return agencyCodeRE.MatchString(code) }

// Agency is one of the four forces (reference data seeded by the first migration).
type Agency struct {
	Code      string `db:"code" json:"code"`
	NameVI    string `db:"name_vi" json:"name_vi"`
	NameEN    string `db:"name_en" json:"name_en"`
	SortOrder int    `db:"sort_order" json:"-"`
}

// Name returns the agency's name in the language lang ("vi" or "en").
func (a Agency) Name(lang string) string {
	if lang == "en" {
		return a.NameEN
	}
	return a.NameVI
}

// CrimeType is a reference crime type (drugs, smuggling…).
type CrimeType struct {
	Code      string `db:"code" json:"code"`
	NameVI    string `db:"name_vi" json:"name_vi"`
	NameEN    string `db:"name_en" json:"name_en"`
	SortOrder int    `db:"sort_order" json:"-"`
}

// Item groups of item categories.
const (
	GroupDrug       = "drug"
	GroupWeapon     = "weapon"
	GroupAmmunition = "ammunition"
	GroupVehicle    = "vehicle"
	GroupCash       = "cash"
	GroupOther      = "other"
)

// ItemCategory is a kind of seized item with its unit of measure; drugs also carry the
// international drug name used in seizure reporting.
type ItemCategory struct {
	Code      string  `db:"code" json:"code"`
	Group     string  `db:"item_group" json:"group"`
	NameVI    string  `db:"name_vi" json:"name_vi"`
	NameEN    string  `db:"name_en" json:"name_en"`
	Unit      string  `db:"unit" json:"unit"`
	DrugName  *string `db:"drug_name" json:"drug_name,omitempty"`
	SortOrder int     `db:"sort_order" json:"-"`
}

// Name returns the category's name in the language lang ("vi" or "en").
func (c ItemCategory) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameVI
}
