package imports

import (
	"strings"

	"phoihop/internal/phoihop"
)

// Choice is one value of a code list: its code and its name in the template's language.
type Choice struct {
	Code, Name string
}

// Entry is the choice as the lists sheet writes it and a drop-down offers it: "code — name",
// or the code alone when it has no name. ChoiceCode reads the code back.
func (c Choice) Entry() string {
	if c.Name == "" || c.Name == c.Code {
		return c.Code
	}
	return c.Code + EntrySeparator + c.Name
}

// EntrySeparator separates a code from its name in a list entry ("drugs — Ma túy").
const EntrySeparator = " — "

// ChoiceCode returns the code of a cell holding a list entry, "code — name" or the code
// alone: the text before the first EntrySeparator, trimmed.
func ChoiceCode(cell string) string {
	code, _, _ := strings.Cut(cell, EntrySeparator)
	return strings.TrimSpace(code)
}

// Reference holds the code lists of the template by list name (ListCrimeType…), each in the
// order the forms offer it. ListUnits is not in it: Template.Units fills that list.
type Reference map[string][]Choice

// catalogLists are the code lists named in the pages' catalogs (web/locales): the codes and
// the prefix of their names' message ids ("cases.area." names "sea" by "cases.area.sea").
var catalogLists = []struct {
	list, prefix string
	codes        []string
}{
	{ListArea, "cases.area.", phoihop.Areas},
	{ListCaseStatus, "cases.status.", phoihop.CaseStatuses},
	{ListGender, "cases.gender.", phoihop.Genders},
	{ListLocationType, "cases.location.", phoihop.LocationTypes},
	{ListTransportMode, "cases.transport.", phoihop.TransportModes},
	{ListExchangeKind, "exchanges.kind.", phoihop.ExchangeKinds},
	{ListTipStatus, "tips.status.", phoihop.TipStatuses},
	{ListSourceReliability, "tips.reliability.", phoihop.SourceReliabilities},
	{ListInformationValidity, "tips.validity.", phoihop.InformationValidities},
}

// NewReference builds the code lists of a template in lang ("vi" or "en"): crime types and item
// categories from the database's reference data (a category's name followed by its unit of
// measure, "Heroin (g)"), the other lists from the pages' catalogs through name, which returns
// the text of a message id in lang ("" or the id itself when it has none: the code alone is
// then written).
func NewReference(lang string, crimeTypes []phoihop.CrimeType, categories []phoihop.ItemCategory, name func(id string) string) Reference {
	msg := func(id string) string {
		if t := name(id); t != id {
			return t
		}
		return ""
	}
	ref := Reference{}
	for _, t := range crimeTypes {
		ref[ListCrimeType] = append(ref[ListCrimeType], Choice{Code: t.Code, Name: pick(lang, t.NameVI, t.NameEN)})
	}
	for _, k := range categories {
		n := k.Name(lang)
		if m := msg("measure." + k.Unit); m != "" {
			n += " (" + m + ")"
		} else {
			n += " (" + k.Unit + ")"
		}
		ref[ListItemCategory] = append(ref[ListItemCategory], Choice{Code: k.Code, Name: n})
	}
	for _, l := range catalogLists {
		for _, code := range l.codes {
			ref[l.list] = append(ref[l.list], Choice{Code: code, Name: msg(l.prefix + code)})
		}
	}
	return ref
}

func pick(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}
