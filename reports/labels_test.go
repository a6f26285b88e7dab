package reports

import (
	"testing"

	"phoihop/internal/phoihop"
)

func TestVocabulariesComplete(t *testing.T) {
	vocabularies := []struct {
		name  string
		v     vocabulary
		codes []string
	}{
		{"agencies", agencyNames, []string{phoihop.AgencyPolice, phoihop.AgencyBorderGuard, phoihop.AgencyCoastGuard, phoihop.AgencyCustoms}},
		{"crime types", crimeTypeNames, phoihop.CrimeTypes},
		{"areas", areaNames, phoihop.Areas},
		{"case statuses", caseStatusNames, phoihop.CaseStatuses},
		{"genders", genderNames, phoihop.Genders},
		{"exchange kinds", exchangeKindNames, phoihop.ExchangeKinds},
		{"tip statuses", tipStatusNames, phoihop.TipStatuses},
		{"location types", locationTypeNames, phoihop.LocationTypes},
		{"transport modes", transportModeNames, phoihop.TransportModes},
		{"item groups", itemGroupNames, []string{phoihop.GroupDrug, phoihop.GroupWeapon, phoihop.GroupAmmunition,
			phoihop.GroupVehicle, phoihop.GroupCash, phoihop.GroupOther}},
	}
	for _, voc := range vocabularies {
		if len(voc.v) != len(voc.codes) {
			t.Errorf("%s: %d names for %d codes", voc.name, len(voc.v), len(voc.codes))
		}
		for _, code := range voc.codes {
			w, ok := voc.v[code]
			if !ok || w.vi == "" || w.en == "" {
				t.Errorf("%s: code %q has names %+v", voc.name, code, w)
			}
		}
	}
	for _, c := range []struct {
		v                vocabulary
		code, lang, want string
	}{
		{crimeTypeNames, "drugs", "vi", "Tội phạm về ma túy"},
		{crimeTypeNames, "drugs", "en", "Drug crime"},
		{tipStatusNames, "not_valuable", "vi", "Không có giá trị"},
		{locationTypeNames, "border_crossing", "vi", "Cửa khẩu"},
		{transportModeNames, "car_motorbike", "en", "Car / motorbike"},
		{measureNames, "tablet", "vi", "viên"},
		{areaNames, "", "vi", ""},
		{areaNames, "moon", "vi", "moon"}, // unknown codes are kept, not lost
	} {
		if got := c.v.name(c.code, c.lang); got != c.want {
			t.Errorf("name(%q, %s) = %q, want %q", c.code, c.lang, got, c.want)
		}
	}
	if got := agencyNames.names("CA, BP,HQ", ",", "vi"); got != "Công an, Bộ đội Biên phòng, Hải quan" {
		t.Errorf("names = %q", got)
	}
}

func TestCellText(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"Chuyên án 116C":         "Chuyên án 116C",
		`=HYPERLINK("http://x")`: `'=HYPERLINK("http://x")`,
		"+84 912":                "'+84 912",
		"-1+2":                   "'-1+2",
		"@SUM(A1)":               "'@SUM(A1)",
		"\t=1":                   "'\t=1",
		"\r=1":                   "'\r=1",
		"a=1":                    "a=1",
		"'already quoted":        "'already quoted",
		"=":                      "'=",
	} {
		if got := cellText(in); got != want {
			t.Errorf("cellText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateLine(t *testing.T) {
	for _, c := range []struct {
		lang, place string
		d           phoihop.Date
		want        string
	}{
		{"vi", "Bình Phước", day(2016, 5, 12), "Bình Phước, ngày 12 tháng 5 năm 2016"},
		{"vi", "Bình Phước", day(2016, 12, 31), "Bình Phước, ngày 31 tháng 12 năm 2016"},
		// Decree 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero.
		{"vi", "Bình Phước", day(2017, 1, 5), "Bình Phước, ngày 05 tháng 01 năm 2017"},
		{"vi", "Bình Phước", day(2017, 3, 9), "Bình Phước, ngày 09 tháng 3 năm 2017"},
		{"vi", "", day(2017, 2, 10), "ngày 10 tháng 02 năm 2017"},
		{"en", "Bình Phước", day(2016, 5, 12), "Bình Phước, 12 May 2016"},
		{"en", "Bình Phước", day(2017, 1, 5), "Bình Phước, 5 January 2017"},
	} {
		if got := textsIn(c.lang).dateLine(c.place, c.d); got != c.want {
			t.Errorf("dateLine(%s, %v) = %q, want %q", c.lang, c.d, got, c.want)
		}
	}
	if got := textsVI.periodLine(day(2004, 2, 13), day(2016, 5, 12)); got != "Từ ngày 13/02/2004 đến ngày 12/05/2016" {
		t.Errorf("period line = %q", got)
	}
}

func TestDefaultHeader(t *testing.T) {
	d := day(2016, 5, 12)
	vi := DefaultHeader("vi", " Bình  Phước ", d)
	if want := (Header{Superior: "UBND TỈNH BÌNH PHƯỚC", Issuer: "BAN CHỈ ĐẠO 133", Symbol: "BC-BCĐ133", Place: "Bình Phước", Date: d}); vi != want {
		t.Errorf("DefaultHeader(vi) = %+v, want %+v", vi, want)
	}
	en := DefaultHeader("en-GB", "Bình Phước", d)
	if want := (Header{Superior: "PEOPLE'S COMMITTEE OF BÌNH PHƯỚC PROVINCE", Issuer: "STEERING COMMITTEE 133", Symbol: "BC-BCĐ133",
		Place: "Bình Phước", Date: d}); en != want {
		t.Errorf("DefaultHeader(en) = %+v, want %+v", en, want)
	}
}

func TestDateSerial(t *testing.T) {
	for d, want := range map[phoihop.Date]int{day(1900, 3, 1): 61, day(2016, 5, 12): 42502, day(2004, 2, 13): 38030} {
		if got := dateSerial(d); got != want {
			t.Errorf("dateSerial(%v) = %d, want %d", d, got, want)
		}
	}
}
