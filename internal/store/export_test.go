package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// exportLines runs one Export method and prints every row it streams with line.
func exportLines[T any](t *testing.T, run func(context.Context, func(*T) error) error, line func(*T) string) []string {
	t.Helper()
	var out []string
	var last *T
	err := run(context.Background(), func(r *T) error {
		if last != nil && last != r {
			t.Errorf("the row value is not reused")
		}
		last = r
		out = append(out, line(r))
		return nil
	})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("%s =\n %q\nwant\n %q", what, got, want)
	}
}

func agencyLine(a store.AgencyNames) string { return a.Code + "/" + a.NameVI + "/" + a.NameEN }

func caseLine(r *store.CaseRow) string {
	return fmt.Sprintf("%s %s %s %s %s %s | %s | %s | %s | %s | %s | %s %s | %d | %s", r.Code, r.Title, r.CrimeType,
		r.Area, r.Status, agencyLine(r.LeadAgency), r.LeadUnit, r.LeadParentUnit, r.Agencies, r.AgreementNumber,
		r.Summary, r.OpenedOn, r.ClosedOn, r.Suspects, map[bool]string{true: "id", false: "no id"}[r.ID > 0])
}

func seizureLine(r *store.SeizureRow) string {
	return fmt.Sprintf("%s %s | %s %s/%s %s %s %s | %s | %s | %s | %s | %s %s %s %s %q", r.CaseCode, r.CaseTitle,
		r.Category, r.CategoryVI, r.CategoryEN, r.Group, r.Unit, r.Quantity, r.SeizedOn, agencyLine(r.Agency),
		r.SeizingUnit, r.ParentUnit, r.LocationType, r.TransportMode, r.Departure, r.Destination, r.Description)
}

func suspectLine(r *store.SuspectRow) string {
	return fmt.Sprintf("%s | %s %d %s %s %q %q | %s | %s | %s | %s | %q", r.CaseCode, r.FullName, r.BirthYear,
		r.Gender, r.Nationality, r.IDNumber, r.Address, r.ArrestedOn, r.Agency.Code, r.ArrestingUnit, r.ParentUnit, r.Notes)
}

func exchangeLine(r *store.ExchangeRow) string {
	return fmt.Sprintf("%s %s %s | %s | %s | %s", r.HeldOn, r.Kind, agencyLine(r.Organizer), r.OrganizingUnit,
		r.Units, r.Summary)
}

func tipLine(r *store.TipRow) string {
	return fmt.Sprintf("%s %s %s | %q | %s %s %s %q | %q", r.ReceivedOn, r.Agency.Code, r.SourceUnit,
		r.ExchangeHeldOn, r.Subject, r.CrimeType, r.Status, r.VerifiedOn, r.CaseCode)
}

// newExportData is newSummaryData with a few more fields filled: a suspect's personal data, a
// seizure's route, tips linked to exchanges and cases of other agencies and to a removed exchange.
func newExportData(t *testing.T, s *store.Store) summaryData {
	t.Helper()
	d := newSummaryData(t, s)
	storetest.MustExec(t, s, `UPDATE suspects SET birth_year = 1980, gender = 'male', id_number = '079080001234',
		address = 'Lộc Ninh', notes = 'Khai nhận' WHERE arrested_on = ?`, summaryTo)
	storetest.MustExec(t, s, `UPDATE seizures SET location_type = 'border_crossing', transport_mode = 'car_motorbike',
		departure_country = 'KH', destination_country = 'VN', description = '3.000 viên' WHERE seized_on = ?`, summaryFrom)
	linkExchange := func(tipReceived phoihop.Date, tipAgency string, held phoihop.Date) {
		storetest.MustExec(t, s, `UPDATE tips SET exchange_id = (SELECT id FROM exchanges WHERE held_on = ?)
			WHERE received_on = ? AND agency = ?`, held, tipReceived, tipAgency)
	}
	linkExchange(summaryFrom, "CA", summaryFrom)     // its own exchange
	linkExchange(day(2015, 5, 5), "CA", summaryTo)   // a BP-only exchange
	linkExchange(summaryTo, "BP", day(2015, 10, 10)) // a removed exchange
	storetest.MustExec(t, s, `UPDATE tips SET case_id = (SELECT id FROM cases WHERE code = 'A-RETIRED')
		WHERE received_on = ? AND agency = 'CA'`, day(2016, 1, 1)) // a BP-only case
	return d
}

func TestExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.Now = func() time.Time { return recordNow }
		newExportData(t, s)
		all := store.Export{Store: s, Filter: store.SummaryFilter{From: summaryFrom, To: summaryTo}, Scope: allScope}

		sameLines(t, "cases", exportLines(t, all.Cases, caseLine), []string{
			"A-ACROSS Chuyên án A-ACROSS drugs border open BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cửa khẩu Hoa Lư | Bộ Chỉ huy BĐBP tỉnh | CA, BP | 06/KH-BCĐ |  | 2014-06-01  | 2 | id",
			"A-FIRST Chuyên án A-FIRST smuggling border concluded CA/Công an/Police | Công an tỉnh Bình Phước |  | CA |  |  | 2015-03-01 2016-06-30 | 1 | id",
			"A-RETIRED Chuyên án A-RETIRED drugs border concluded BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cũ | Bộ Chỉ huy BĐBP tỉnh | BP |  |  | 2015-06-01 2015-11-30 | 1 | id",
			"A-HQ Chuyên án A-HQ weapons border open HQ/Hải quan/Customs | Chi cục Hải quan cửa khẩu Hoa Lư |  | CSB, HQ |  |  | 2016-02-01  | 0 | id",
		})
		sameLines(t, "seizures", exportLines(t, all.Seizures, seizureLine), []string{
			`A-ACROSS Chuyên án A-ACROSS | synthetic_drug_pills ma túy tổng hợp/synthetic drug pills drug tablet 3000 | 2015-03-01 | BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cửa khẩu Hoa Lư | Bộ Chỉ huy BĐBP tỉnh | border_crossing car_motorbike KH VN "3.000 viên"`,
			`A-ACROSS Chuyên án A-ACROSS | heroin heroin/heroin drug g 9.5 | 2015-04-01 | BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cửa khẩu Hoa Lư | Bộ Chỉ huy BĐBP tỉnh |     ""`,
			`A-RETIRED Chuyên án A-RETIRED | motorbike xe máy/motorbikes vehicle vehicle 2 | 2015-07-01 | BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cũ | Bộ Chỉ huy BĐBP tỉnh |     ""`,
			`A-ACROSS Chuyên án A-ACROSS | heroin heroin/heroin drug g 0.3 | 2016-02-02 | CA/Công an/Police | Công an tỉnh Bình Phước |  |     ""`,
			`A-FIRST Chuyên án A-FIRST | synthetic_drug_pills ma túy tổng hợp/synthetic drug pills drug tablet 973 | 2016-06-30 | CA/Công an/Police | Công an tỉnh Bình Phước |  |     ""`,
		})
		sameLines(t, "suspects", exportLines(t, all.Suspects, suspectLine), []string{
			`A-ACROSS | Nguyễn Văn A 0 unknown VN "" "" | 2015-03-01 | BP | Đồn Biên phòng cửa khẩu Hoa Lư | Bộ Chỉ huy BĐBP tỉnh | ""`,
			`A-RETIRED | Nguyễn Văn A 0 unknown KH "" "" | 2015-07-01 | BP | Đồn Biên phòng cũ | Bộ Chỉ huy BĐBP tỉnh | ""`,
			`A-FIRST | Nguyễn Văn A 0 unknown VN "" "" | 2016-01-10 | CA | Công an huyện Lộc Ninh | Công an tỉnh Bình Phước | ""`,
			`A-ACROSS | Nguyễn Văn A 1980 male CN "079080001234" "Lộc Ninh" | 2016-06-30 | CA | Công an tỉnh Bình Phước |  | "Khai nhận"`,
		})
		sameLines(t, "exchanges", exportLines(t, all.Exchanges, exchangeLine), []string{
			"2015-03-01 periodic CA/Công an/Police | Công an tỉnh Bình Phước | Công an tỉnh Bình Phước; Đồn Biên phòng cửa khẩu Hoa Lư | Trao đổi periodic",
			"2015-09-09 ad_hoc BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cũ | Đồn Biên phòng cũ; Chi cục Hải quan cửa khẩu Hoa Lư | Trao đổi ad_hoc",
			"2016-06-30 phone BP/Bộ đội Biên phòng/Border Guard | Đồn Biên phòng cửa khẩu Hoa Lư | Bộ Chỉ huy BĐBP tỉnh; Đồn Biên phòng cửa khẩu Hoa Lư | Trao đổi phone",
		})
		sameLines(t, "tips", exportLines(t, all.Tips, tipLine), []string{
			`2015-01-10 BP Bộ Chỉ huy BĐBP tỉnh | "" | Tin báo drugs valuable "2015-03-01" | "A-ACROSS"`,
			`2015-03-01 CA Công an tỉnh Bình Phước | "2015-03-01" | Tin báo drugs new "" | ""`,
			`2015-05-05 HQ Chi cục Hải quan cửa khẩu Hoa Lư | "" | Tin báo drugs valuable "2015-06-06" | ""`,
			`2015-05-05 CA Công an tỉnh Bình Phước | "2016-06-30" | Tin báo drugs not_valuable "2015-06-01" | ""`,
			`2016-01-01 CA Công an tỉnh Bình Phước | "" | Tin báo drugs valuable "2016-06-30" | "A-RETIRED"`,
			`2016-06-30 BP Bộ Chỉ huy BĐBP tỉnh | "" | Tin báo drugs valuable "2016-07-01" | ""`,
		})

		// A police reader: cases the police take part in and their suspects and seizures,
		// exchanges with a police unit, police tips without the BP-only exchange and case.
		ca := all
		ca.Scope = readScopeOf("CA")
		codes := func(lines []string) (out []string) {
			for _, l := range lines {
				out = append(out, strings.Fields(l)[0])
			}
			return out
		}
		sameLines(t, "CA cases", codes(exportLines(t, ca.Cases, caseLine)), []string{
			"A-ACROSS", "A-FIRST"})
		sameLines(t, "CA suspects", exportLines(t, ca.Suspects, func(r *store.SuspectRow) string {
			return r.CaseCode + " " + r.ArrestedOn.String()
		}), []string{"A-ACROSS 2015-03-01", "A-FIRST 2016-01-10", "A-ACROSS 2016-06-30"})
		sameLines(t, "CA seizures", exportLines(t, ca.Seizures, func(r *store.SeizureRow) string {
			return r.CaseCode + " " + r.SeizedOn.String()
		}), []string{"A-ACROSS 2015-03-01", "A-ACROSS 2015-04-01", "A-ACROSS 2016-02-02", "A-FIRST 2016-06-30"})
		sameLines(t, "CA exchanges", exportLines(t, ca.Exchanges, func(r *store.ExchangeRow) string {
			return r.HeldOn.String() + " " + r.Kind
		}), []string{"2015-03-01 periodic"})
		sameLines(t, "CA tips", exportLines(t, ca.Tips, tipLine), []string{
			`2015-03-01 CA Công an tỉnh Bình Phước | "2015-03-01" | Tin báo drugs new "" | ""`,
			`2015-05-05 CA Công an tỉnh Bình Phước | "" | Tin báo drugs not_valuable "2015-06-01" | ""`,
			`2016-01-01 CA Công an tỉnh Bình Phước | "" | Tin báo drugs valuable "2016-06-30" | ""`,
		})

		// The report's agency filter, as in the summary: customs only.
		hq := all
		hq.Filter.Agencies = []string{"hq"}
		sameLines(t, "HQ cases", codes(exportLines(t, hq.Cases, caseLine)), []string{"A-HQ"})
		sameLines(t, "HQ exchanges", exportLines(t, hq.Exchanges, func(r *store.ExchangeRow) string {
			return r.HeldOn.String() + " " + r.Kind
		}), []string{"2015-09-09 ad_hoc"})
		if n := len(exportLines(t, hq.Seizures, seizureLine)); n != 0 {
			t.Errorf("HQ seizures = %d rows, want 0", n)
		}

		// An error from fn stops the query and comes back as is.
		stop := errors.New("stop")
		calls := 0
		err := all.Seizures(context.Background(), func(*store.SeizureRow) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 2 {
			t.Errorf("Seizures with a failing fn = %v after %d calls, want %v after 2", err, calls, stop)
		}
		// A cancelled context stops it too.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := all.Tips(ctx, func(*store.TipRow) error { return nil }); !errors.Is(err, context.Canceled) {
			t.Errorf("Tips with a cancelled context = %v", err)
		}
		bad := all
		bad.Filter.From = phoihop.Date{}
		wantErr(t, "Cases without From", bad.Cases(context.Background(), func(*store.CaseRow) error { return nil }),
			phoihop.EInvalid, "from")
	})
}
