package reports

import (
	"time"

	"context"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// day is a civil date.
func day(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }

// agencyQty is a seizure total of one agency.
func agencyQty(agency string, q store.SummaryQuantity, milli int64) store.SummaryAgencyQuantity {
	q.Quantity = phoihop.Quantity(milli)
	return store.SummaryAgencyQuantity{Agency: agency, SummaryQuantity: q}
}

// yearQty is a seizure total of one year.
func yearQty(q store.SummaryQuantity, milli int64) store.SummaryQuantity {
	q.Quantity = phoihop.Quantity(milli)
	return q
}

// articleSummary has the figures of the review conference's article (13/02/2004 – 12/05/2016)
// with breakdowns and years consistent with them: the suspects, exchanges, valuable tips and
// seizures of the years add up to the period's; the cases of the years add up to more than the
// period's 9 because cases run over several years.
func articleSummary() *store.Summary {
	s := demoSummary()
	s.From, s.To = day(2004, 2, 13), day(2016, 5, 12)
	s.Cases.NewlyOpened, s.Cases.Concluded = 9, 7
	s.Cases.ByCrimeType = []store.SummaryCount{{Key: "drugs", Count: 7}, {Key: "weapons", Count: 2}}
	s.Suspects.Vietnamese, s.Suspects.Foreign = 17, 2
	s.Suspects.ByAgency = []store.SummaryCount{{Key: "CA", Count: 8}, {Key: "BP", Count: 11}}
	s.Seizures.ByAgency = []store.SummaryAgencyQuantity{
		agencyQty("CA", pills, 973000), agencyQty("BP", pills, 3000000),
		agencyQty("BP", heroin, 9800),
		agencyQty("CA", guns, 2000),
		agencyQty("CA", ammunition, 26000),
		agencyQty("BP", knives, 6000),
		agencyQty("BP", cars, 1000),
		agencyQty("CA", motorbikes, 4000), agencyQty("BP", motorbikes, 5000),
	}
	s.Exchanges.ByAgency = []store.SummaryCount{{Key: "CA", Count: 337}, {Key: "BP", Count: 337}, {Key: "HQ", Count: 120}}
	suspects := []int{2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1}
	for i := range 13 {
		y := store.SummaryYear{Year: 2004 + i, Cases: 1, Suspects: suspects[i], Exchanges: 26, ValuableTips: 10}
		switch y.Year {
		case 2005:
			y.Seizures = []store.SummaryQuantity{yearQty(guns, 2000), yearQty(ammunition, 26000)}
		case 2008:
			y.Seizures = []store.SummaryQuantity{yearQty(pills, 3000000)}
		case 2010:
			y.Seizures = []store.SummaryQuantity{yearQty(heroin, 9800)}
		case 2011:
			y.Seizures = []store.SummaryQuantity{yearQty(motorbikes, 4000)}
		case 2012:
			y.Seizures = []store.SummaryQuantity{yearQty(pills, 973000)}
		case 2014:
			y.Seizures = []store.SummaryQuantity{yearQty(knives, 6000)}
		case 2016:
			y.Cases, y.Exchanges, y.ValuableTips = 2, 25, 7
			y.Seizures = []store.SummaryQuantity{yearQty(cars, 1000), yearQty(motorbikes, 5000)}
		}
		s.ByYear = append(s.ByYear, y)
	}
	return s
}

// memDetails is an in-memory Details: the rows of each sheet, or n generated seizures.
type memDetails struct {
	cases     []store.CaseRow
	seizures  []store.SeizureRow
	suspects  []store.SuspectRow
	exchanges []store.ExchangeRow
	tips      []store.TipRow
	// generated, when > 0, streams that many seizures made by seizureAt instead of seizures.
	generated int
}

func each[T any](ctx context.Context, rows []T, fn func(*T) error) error {
	for i := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (m *memDetails) Cases(ctx context.Context, fn func(*store.CaseRow) error) error {
	return each(ctx, m.cases, fn)
}

func (m *memDetails) Seizures(ctx context.Context, fn func(*store.SeizureRow) error) error {
	if m.generated == 0 {
		return each(ctx, m.seizures, fn)
	}
	var r store.SeizureRow
	for i := range m.generated {
		seizureAt(i, &r)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

func (m *memDetails) Suspects(ctx context.Context, fn func(*store.SuspectRow) error) error {
	return each(ctx, m.suspects, fn)
}

func (m *memDetails) Exchanges(ctx context.Context, fn func(*store.ExchangeRow) error) error {
	return each(ctx, m.exchanges, fn)
}

func (m *memDetails) Tips(ctx context.Context, fn func(*store.TipRow) error) error {
	return each(ctx, m.tips, fn)
}

// seizureAt fills r with the i-th generated seizure: alternately 9,8 g of heroin and 3.973
// tablets, made by a Border Guard post on a day of 2004–2016.
func seizureAt(i int, r *store.SeizureRow) {
	*r = store.SeizureRow{
		ID: int64(i + 1), CaseCode: "BP-2016-01", CaseTitle: "Chuyên án 616B",
		Category: heroin.Category, CategoryVI: heroin.NameVI, CategoryEN: heroin.NameEN, Group: "drug",
		Unit: "g", Quantity: 9800, SeizedOn: day(2004, 2, 13).AddDays(i % 4400),
		Agency:      store.AgencyNames{Code: "BP", NameVI: "Bộ đội Biên phòng", NameEN: "Border Guard"},
		SeizingUnit: "Đồn Biên phòng Hoa Lư", ParentUnit: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
		LocationType: "border_crossing", TransportMode: "car_motorbike", Departure: "KH", Destination: "VN",
		Description: "Thu giữ khi kiểm tra phương tiện qua cửa khẩu",
	}
	if i%2 == 1 {
		r.Category, r.CategoryVI, r.CategoryEN, r.Unit, r.Quantity = pills.Category, pills.NameVI, pills.NameEN, "tablet", 3973000
	}
}

// articleDetails are a few detail rows of the article's cases, one text of each sheet
// written as a formula would be.
func articleDetails() *memDetails {
	ca := store.AgencyNames{Code: "CA", NameVI: "Công an", NameEN: "Police"}
	bp := store.AgencyNames{Code: "BP", NameVI: "Bộ đội Biên phòng", NameEN: "Border Guard"}
	m := &memDetails{
		cases: []store.CaseRow{
			{ID: 1, Code: "CA-2016-01", Title: `=HYPERLINK("http://x")`, CrimeType: "drugs", Area: "border", Status: "concluded",
				LeadAgency: ca, LeadUnit: "Phòng PC47", LeadParentUnit: "Công an tỉnh Bình Phước", Agencies: "CA, BP, HQ",
				AgreementNumber: "06/KH-PH", OpenedOn: day(2016, 1, 5), ClosedOn: day(2016, 5, 12), Suspects: 3, Summary: "Vận chuyển ma túy qua biên giới"},
			{ID: 2, Code: "BP-2015-02", Title: "Chuyên án 215B", CrimeType: "weapons", Area: "inland", Status: "open",
				LeadAgency: bp, LeadUnit: "Đồn Biên phòng Hoa Lư", Agencies: "BP", OpenedOn: day(2015, 3, 9), Suspects: 2},
		},
		seizures: []store.SeizureRow{
			{ID: 1, CaseCode: "CA-2016-01", CaseTitle: "Chuyên án 116C", Category: "synthetic_drug_pills", CategoryVI: "ma túy tổng hợp",
				CategoryEN: "synthetic drug pills", Group: "drug", Unit: "tablet", Quantity: 3973000, SeizedOn: day(2016, 5, 12), Agency: ca,
				SeizingUnit: "Phòng PC47", ParentUnit: "Công an tỉnh Bình Phước", LocationType: "road", TransportMode: "car_motorbike",
				Departure: "KH", Destination: "VN", Description: "+84 giấu trong xe"},
			{ID: 2, CaseCode: "BP-2015-02", CaseTitle: "Chuyên án 215B", Category: "heroin", CategoryVI: "heroin", CategoryEN: "heroin",
				Group: "drug", Unit: "g", Quantity: 9800, SeizedOn: day(2015, 3, 10), Agency: bp, SeizingUnit: "Đồn Biên phòng Hoa Lư"},
		},
		suspects: []store.SuspectRow{
			{ID: 1, CaseCode: "CA-2016-01", FullName: "Nguyễn Văn A", BirthYear: 1980, Gender: "male", Nationality: "VN",
				IDNumber: "070080001234", Address: "@Lộc Ninh", ArrestedOn: day(2016, 5, 2), Agency: ca, ArrestingUnit: "Phòng PC47",
				ParentUnit: "Công an tỉnh Bình Phước"},
		},
		exchanges: []store.ExchangeRow{
			{ID: 1, HeldOn: day(2016, 4, 1), Kind: "periodic", Organizer: bp, OrganizingUnit: "Đồn Biên phòng Hoa Lư",
				Units: "Phòng PC47; Đồn Biên phòng Hoa Lư", Summary: "-Giao ban định kỳ quý I"},
		},
		tips: []store.TipRow{
			{ID: 1, ReceivedOn: day(2016, 4, 1), Agency: bp, SourceUnit: "Đồn Biên phòng Hoa Lư", ExchangeHeldOn: day(2016, 4, 1),
				Subject: "Đường dây vận chuyển ma túy", CrimeType: "drugs", Status: "valuable", VerifiedOn: day(2016, 4, 20), CaseCode: "CA-2016-01",
				SourceReliability: "B", InformationValidity: "2", HandlingNote: "Bảo vệ nguồn tin"},
			{ID: 2, ReceivedOn: day(2016, 4, 15), Agency: ca, SourceUnit: "Phòng PC47", Subject: "Tin chưa xác minh", CrimeType: "other", Status: "new"},
		},
	}
	return m
}
