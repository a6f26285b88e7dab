package reports

import (
	"context"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// The columns of the detail sheets, in the wording of the pages.
var (
	caseColumns = []column{
		{words{"Số hiệu", "Case number"}, 14},
		{words{"Tên chuyên án", "Title"}, 34},
		{words{"Loại tội phạm", "Crime type"}, 20},
		{words{"Địa bàn", "Area"}, 11},
		{words{"Trạng thái", "Status"}, 15},
		{words{"Lực lượng chủ trì", "Lead agency"}, 18},
		{words{"Đơn vị cấp trên", "Parent unit"}, 24},
		{words{"Đơn vị xác lập", "Lead unit"}, 24},
		{words{"Lực lượng tham gia", "Agencies taking part"}, 26},
		{words{"Kế hoạch phối hợp", "Coordination plan"}, 14},
		{words{"Ngày xác lập", "Opened on"}, 12},
		{words{"Ngày kết thúc", "Closed on"}, 12},
		{words{"Số đối tượng", "Suspects"}, 10},
		{words{"Tóm tắt", "Summary"}, 50},
	}
	seizureColumns = []column{
		{words{"Ngày thu giữ", "Seized on"}, 12},
		{words{"Số hiệu chuyên án", "Case number"}, 14},
		{words{"Tên chuyên án", "Case title"}, 30},
		{words{"Nhóm", "Group"}, 12},
		{words{"Tang vật", "Item"}, 24},
		{words{"Số lượng", "Quantity"}, 12},
		{words{"Đơn vị tính", "Unit of measure"}, 10},
		{words{"Lực lượng", "Agency"}, 18},
		{words{"Đơn vị cấp trên", "Parent unit"}, 24},
		{words{"Đơn vị thu giữ", "Seizing unit"}, 24},
		{words{"Nơi thu giữ", "Location"}, 18},
		{words{"Phương tiện vận chuyển", "Transport"}, 16},
		{words{"Nước đi", "From country"}, 9},
		{words{"Nước đến", "To country"}, 9},
		{words{"Mô tả", "Description"}, 40},
	}
	suspectColumns = []column{
		{words{"Số hiệu chuyên án", "Case number"}, 14},
		{words{"Họ và tên", "Full name"}, 24},
		{words{"Năm sinh", "Birth year"}, 9},
		{words{"Giới tính", "Gender"}, 9},
		{words{"Quốc tịch", "Nationality"}, 9},
		{words{"Số giấy tờ", "ID number"}, 15},
		{words{"Nơi cư trú", "Address"}, 34},
		{words{"Ngày bắt", "Arrested on"}, 12},
		{words{"Lực lượng", "Agency"}, 18},
		{words{"Đơn vị cấp trên", "Parent unit"}, 24},
		{words{"Đơn vị bắt giữ", "Arresting unit"}, 24},
		{words{"Ghi chú", "Notes"}, 34},
	}
	exchangeColumns = []column{
		{words{"Ngày trao đổi", "Held on"}, 12},
		{words{"Hình thức", "Kind"}, 15},
		{words{"Lực lượng chủ trì", "Organizing agency"}, 18},
		{words{"Đơn vị chủ trì", "Organizing unit"}, 26},
		{words{"Đơn vị tham gia", "Units taking part"}, 48},
		{words{"Nội dung tóm tắt", "Summary"}, 60},
	}
	tipColumns = []column{
		{words{"Ngày tiếp nhận", "Received on"}, 12},
		{words{"Lực lượng", "Agency"}, 18},
		{words{"Đơn vị tiếp nhận", "Receiving unit"}, 26},
		{words{"Từ lần trao đổi ngày", "From the exchange of"}, 13},
		{words{"Tiêu đề", "Subject"}, 44},
		{words{"Loại tội phạm", "Crime type"}, 20},
		{words{"Độ tin cậy của nguồn tin", "Source reliability"}, 11},
		{words{"Độ xác thực của thông tin", "Information validity"}, 11},
		{words{"Tình trạng xác minh", "Verification"}, 16},
		{words{"Ngày kết luận", "Verified on"}, 12},
		{words{"Chuyên án", "Case"}, 14},
		{words{"Lưu ý xử lý", "Handling note"}, 34},
	}
)

func writeCases(ctx context.Context, f *excelize.File, st *styles, lang, name string, src Details) error {
	d, err := openDetail(ctx, f, st, lang, name, caseColumns)
	if err != nil {
		return err
	}
	err = pipe(ctx, src.Cases, func(r *store.CaseRow) error {
		v := d.values
		v[0], v[1], v[2] = d.text(r.Code), d.text(r.Title), d.word(crimeTypeNames, r.CrimeType)
		v[3], v[4], v[5] = d.word(areaNames, r.Area), d.word(caseStatusNames, r.Status), d.agency(r.LeadAgency)
		v[6], v[7] = d.text(r.LeadParentUnit), d.text(r.LeadUnit)
		v[8], v[9] = d.text(agencyNames.names(r.Agencies, ",", lang)), d.text(r.AgreementNumber)
		v[10], v[11], v[12], v[13] = d.date(r.OpenedOn), d.date(r.ClosedOn), d.whole(r.Suspects), d.text(r.Summary)
		return d.add()
	})
	if err != nil {
		return err
	}
	return d.close()
}

func writeSeizures(ctx context.Context, f *excelize.File, st *styles, lang, name string, src Details) error {
	d, err := openDetail(ctx, f, st, lang, name, seizureColumns)
	if err != nil {
		return err
	}
	err = pipe(ctx, src.Seizures, func(r *store.SeizureRow) error {
		v := d.values
		item := r.CategoryVI
		if lang == "en" {
			item = r.CategoryEN
		}
		if item == "" {
			item = r.Category
		}
		v[0], v[1], v[2], v[3] = d.date(r.SeizedOn), d.text(r.CaseCode), d.text(r.CaseTitle), d.word(itemGroupNames, r.Group)
		v[4], v[5], v[6] = d.capitalized(item), d.quantity(r.Quantity), d.word(measureNames, r.Unit)
		v[7], v[8], v[9] = d.agency(r.Agency), d.text(r.ParentUnit), d.text(r.SeizingUnit)
		v[10], v[11] = d.word(locationTypeNames, r.LocationType), d.word(transportModeNames, r.TransportMode)
		v[12], v[13], v[14] = d.text(r.Departure), d.text(r.Destination), d.text(r.Description)
		return d.add()
	})
	if err != nil {
		return err
	}
	return d.close()
}

func writeSuspects(ctx context.Context, f *excelize.File, st *styles, lang, name string, src Details) error {
	d, err := openDetail(ctx, f, st, lang, name, suspectColumns)
	if err != nil {
		return err
	}
	err = pipe(ctx, src.Suspects, func(r *store.SuspectRow) error {
		v := d.values
		v[0], v[1], v[2], v[3] = d.text(r.CaseCode), d.text(r.FullName), d.year(r.BirthYear), d.word(genderNames, r.Gender)
		v[4], v[5], v[6], v[7] = d.text(r.Nationality), d.text(r.IDNumber), d.text(r.Address), d.date(r.ArrestedOn)
		v[8], v[9], v[10], v[11] = d.agency(r.Agency), d.text(r.ParentUnit), d.text(r.ArrestingUnit), d.text(r.Notes)
		return d.add()
	})
	if err != nil {
		return err
	}
	return d.close()
}

func writeExchanges(ctx context.Context, f *excelize.File, st *styles, lang, name string, src Details) error {
	d, err := openDetail(ctx, f, st, lang, name, exchangeColumns)
	if err != nil {
		return err
	}
	err = pipe(ctx, src.Exchanges, func(r *store.ExchangeRow) error {
		v := d.values
		v[0], v[1], v[2] = d.date(r.HeldOn), d.word(exchangeKindNames, r.Kind), d.agency(r.Organizer)
		v[3], v[4], v[5] = d.text(r.OrganizingUnit), d.text(r.Units), d.text(r.Summary)
		return d.add()
	})
	if err != nil {
		return err
	}
	return d.close()
}

func writeTips(ctx context.Context, f *excelize.File, st *styles, lang, name string, src Details) error {
	d, err := openDetail(ctx, f, st, lang, name, tipColumns)
	if err != nil {
		return err
	}
	err = pipe(ctx, src.Tips, func(r *store.TipRow) error {
		v := d.values
		v[0], v[1], v[2], v[3] = d.date(r.ReceivedOn), d.agency(r.Agency), d.text(r.SourceUnit), d.date(r.ExchangeHeldOn)
		v[4], v[5] = d.text(r.Subject), d.word(crimeTypeNames, r.CrimeType)
		// The grade as its two codes (A, B, C, X and 1 to 4), empty when the tip is not graded.
		v[6], v[7] = d.text(r.SourceReliability), d.text(r.InformationValidity)
		v[8], v[9], v[10] = d.word(tipStatusNames, r.Status), d.date(r.VerifiedOn), d.text(r.CaseCode)
		v[11] = d.text(r.HandlingNote)
		return d.add()
	})
	if err != nil {
		return err
	}
	return d.close()
}
