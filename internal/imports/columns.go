// Package imports holds the Excel import of records: the specification of the import sheets,
// the template workbook officers fill, and the reading of their files — the cell values as
// they type them (dates, quantities, text) and the uploaded workbook itself, refused safely
// when it is not one. No HTTP in here: handlers set the file name and headers and call it.
package imports

import (
	"strings"
)

// Kinds of records an import brings in, one data sheet each, in the order of the workbook.
const (
	KindCases     = "cases"
	KindArrests   = "arrests" // the suspects arrested in a case
	KindSeizures  = "seizures"
	KindExchanges = "exchanges"
	KindTips      = "tips"
)

// ColumnType says what a column's cells hold and how the template formats them.
type ColumnType string

// The column types.
const (
	TypeText      ColumnType = "text"        // one line of text
	TypeMultiline ColumnType = "multiline"   // text that may span lines
	TypeDate      ColumnType = "date"        // a day, dd/mm/yyyy or a date cell
	TypeQuantity  ColumnType = "quantity"    // a decimal quantity: 3.973, 9,8 or a number cell
	TypeInteger   ColumnType = "integer"     // a whole number (a year of birth)
	TypeCode      ColumnType = "code"        // one code of the column's List
	TypeCountry   ColumnType = "country"     // an ISO 3166-1 alpha-2 country code (VN, LA, KH…)
	TypeUnit      ColumnType = "unit"        // a unit by its code or its exact name
	TypeUnitList  ColumnType = "unit_list"   // several units, by code or exact name, separated by ListSeparator
	TypeAgencies  ColumnType = "agency_list" // several agency codes separated by ListSeparator
)

// ListSeparator separates the values of a cell holding several units or agencies ("CA; BP").
// Not a comma: unit names may hold one.
const ListSeparator = ";"

// The code lists the columns take their values from; the template writes each on its lists
// sheet, one column per list. ListUnits is the importer's agencies' units.
const (
	ListCrimeType           = "crime_type"
	ListArea                = "area"
	ListCaseStatus          = "case_status"
	ListGender              = "gender"
	ListItemCategory        = "item_category"
	ListLocationType        = "location_type"
	ListTransportMode       = "transport_mode"
	ListExchangeKind        = "exchange_kind"
	ListTipStatus           = "tip_status"
	ListSourceReliability   = "source_reliability"
	ListInformationValidity = "information_validity"
	ListUnits               = "units"
)

// Column is one column of an import sheet.
type Column struct {
	// Field is the column's name: the JSON API's field name (DESIGN.md "Resources and their
	// JSON fields"), or for a reference to another record the human key that names it
	// (case_code, lead_unit_code, exchange_held_on…).
	Field string
	// LabelVI and LabelEN are the column's labels, the forms' labels where a form has the field
	// (LabelKey names that message of web/locales; "" when the import has its own label).
	LabelVI, LabelEN, LabelKey string
	Type                       ColumnType
	Required                   bool
	// List is the code list of a TypeCode column, ListUnits for a TypeUnit column, "" otherwise.
	List string
	// HintVI and HintEN say what a cell holds beyond its type, for the instructions sheet.
	HintVI, HintEN string
}

// Label returns the column's label in lang ("vi" or "en").
func (c Column) Label(lang string) string {
	if lang == "en" {
		return c.LabelEN
	}
	return c.LabelVI
}

// Header returns the text of the column's header cell in lang: the label then the field in
// brackets, "Ngày xác lập [opened_on]"; HeaderField reads the field back.
func (c Column) Header(lang string) string { return c.Label(lang) + " [" + c.Field + "]" }

// HeaderField returns the field named in brackets at the end of a header cell's text
// ("Ngày xác lập [opened_on]" → "opened_on"), trimmed, and false when the text has none.
func HeaderField(header string) (string, bool) {
	h := strings.TrimSpace(header)
	if !strings.HasSuffix(h, "]") {
		return "", false
	}
	i := strings.LastIndexByte(h, '[')
	if i < 0 {
		return "", false
	}
	f := strings.TrimSpace(h[i+1 : len(h)-1])
	return f, f != ""
}

// Sheet is the specification of one data sheet: the kind of record of each row and its columns.
type Sheet struct {
	Kind             string
	NameVI, NameEN   string
	AboutVI, AboutEN string // one sentence on what a row is, for the instructions
	Columns          []Column
	// Sample is one realistic row, by field, shown on the instructions sheet; the unit fields
	// hold a placeholder the template replaces with a unit of the importer's agency.
	Sample map[string]string
}

// Name returns the sheet's name in lang ("vi" or "en").
func (s Sheet) Name(lang string) string {
	if lang == "en" {
		return s.NameEN
	}
	return s.NameVI
}

// Column returns the sheet's column of the field, and false when it has none.
func (s Sheet) Column(field string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Field == field {
			return c, true
		}
	}
	return Column{}, false
}

// Required returns the fields of the sheet's required columns, in column order.
func (s Sheet) Required() []string {
	var out []string
	for _, c := range s.Columns {
		if c.Required {
			out = append(out, c.Field)
		}
	}
	return out
}

// Sheets returns the specification of the import's data sheets, in workbook order: cases,
// arrests, seizures, exchanges, tips. Each call returns a fresh copy.
func Sheets() []Sheet {
	return []Sheet{casesSheet(), arrestsSheet(), seizuresSheet(), exchangesSheet(), tipsSheet()}
}

// SheetOf returns the sheet of a kind (KindCases…), and false for an unknown kind.
func SheetOf(kind string) (Sheet, bool) {
	for _, s := range Sheets() {
		if s.Kind == kind {
			return s, true
		}
	}
	return Sheet{}, false
}

// SheetNamed returns the sheet whose Vietnamese or English name is name (spaces around it and
// letter case ignored), and false when none is.
func SheetNamed(name string) (Sheet, bool) {
	name = strings.TrimSpace(name)
	for _, s := range Sheets() {
		if strings.EqualFold(s.NameVI, name) || strings.EqualFold(s.NameEN, name) {
			return s, true
		}
	}
	return Sheet{}, false
}

// unitSample marks a sample's unit cell; the template writes a unit of the importer's agency.
const unitSample = "\x00unit"

// caseCodeCol is the column naming the case a row belongs to, by its code.
func caseCodeCol(required bool) Column {
	return Column{Field: "case_code", LabelVI: "Số hiệu chuyên án", LabelEN: "Case code", Type: TypeText, Required: required,
		HintVI: "số hiệu của chuyên án, trên sheet Chuyên án hoặc đã có trong hệ thống",
		HintEN: "the code of the case, on the Cases sheet or already recorded"}
}

// unitCol is a column naming a unit by its code (or exact name).
func unitCol(field, vi, en, key string, required bool) Column {
	return Column{Field: field, LabelVI: vi, LabelEN: en, LabelKey: key, Type: TypeUnit, Required: required, List: ListUnits,
		HintVI: "mã đơn vị (hoặc tên đúng như trong hệ thống)", HintEN: "the unit's code (or its exact name)"}
}

func casesSheet() Sheet {
	return Sheet{Kind: KindCases, NameVI: "Chuyên án", NameEN: "Cases",
		AboutVI: "Mỗi dòng là một chuyên án; số hiệu đã có và do lực lượng của bạn chủ trì thì dòng đó cập nhật chuyên án.",
		AboutEN: "One row per case; a row whose code already exists, owned by your agency, updates that case.",
		Columns: []Column{
			{Field: "code", LabelVI: "Số hiệu", LabelEN: "Code", LabelKey: "cases.field.code", Type: TypeText, Required: true,
				HintVI: "duy nhất, ví dụ CA-2016-01", HintEN: "unique, e.g. CA-2016-01"},
			{Field: "title", LabelVI: "Tên chuyên án", LabelEN: "Title", LabelKey: "cases.field.title", Type: TypeText, Required: true},
			{Field: "crime_type", LabelVI: "Loại tội phạm", LabelEN: "Crime type", LabelKey: "cases.field.crime_type",
				Type: TypeCode, Required: true, List: ListCrimeType},
			unitCol("lead_unit_code", "Đơn vị xác lập", "Lead unit", "cases.field.lead_unit", true),
			{Field: "agencies", LabelVI: "Lực lượng tham gia", LabelEN: "Agencies taking part", LabelKey: "cases.field.agencies",
				Type:   TypeAgencies,
				HintVI: "mã lực lượng ngoài lực lượng chủ trì, cách nhau bởi dấu ; (CA; BP; CSB; HQ)",
				HintEN: "agency codes besides the lead agency, separated by ; (CA; BP; CSB; HQ)"},
			{Field: "agreement_number", LabelVI: "Số kế hoạch phối hợp", LabelEN: "Coordination plan number", Type: TypeText,
				HintVI: "số của kế hoạch phối hợp đã có trong hệ thống, ví dụ 06", HintEN: "the number of a recorded coordination plan, e.g. 06"},
			{Field: "area", LabelVI: "Địa bàn", LabelEN: "Area", LabelKey: "cases.field.area", Type: TypeCode, Required: true, List: ListArea},
			{Field: "opened_on", LabelVI: "Ngày xác lập", LabelEN: "Opened on", LabelKey: "cases.field.opened_on", Type: TypeDate, Required: true},
			{Field: "closed_on", LabelVI: "Ngày kết thúc", LabelEN: "Closed on", LabelKey: "cases.field.closed_on", Type: TypeDate,
				HintVI: "chỉ khi chuyên án đã kết thúc", HintEN: "only for a concluded case"},
			{Field: "status", LabelVI: "Trạng thái", LabelEN: "Status", LabelKey: "cases.field.status", Type: TypeCode, Required: true, List: ListCaseStatus},
			{Field: "summary", LabelVI: "Tóm tắt", LabelEN: "Summary", LabelKey: "cases.field.summary", Type: TypeMultiline},
		},
		Sample: map[string]string{"code": "012/BP-PCMT",
			"title":      "Chuyên án 012/BP-PCMT — vận chuyển trái phép chất ma túy qua cửa khẩu Hoa Lư",
			"crime_type": "drugs", "lead_unit_code": unitSample, "agencies": "CA; HQ", "agreement_number": "06", "area": "border",
			"opened_on": "08/06/2004", "closed_on": "25/11/2004", "status": "concluded",
			"summary": "Đường dây vận chuyển hồng phiến từ Campuchia qua cửa khẩu Hoa Lư về tiêu thụ trong nội địa."},
	}
}

func arrestsSheet() Sheet {
	return Sheet{Kind: KindArrests, NameVI: "Đối tượng", NameEN: "Arrests",
		AboutVI: "Mỗi dòng là một đối tượng bị bắt giữ trong một chuyên án, ghi theo số hiệu chuyên án.",
		AboutEN: "One row per suspect arrested in a case, named by the case's code.",
		Columns: []Column{
			caseCodeCol(true),
			{Field: "full_name", LabelVI: "Họ và tên", LabelEN: "Full name", LabelKey: "cases.suspect.full_name", Type: TypeText, Required: true},
			{Field: "birth_year", LabelVI: "Năm sinh", LabelEN: "Year of birth", LabelKey: "cases.suspect.birth_year", Type: TypeInteger},
			{Field: "gender", LabelVI: "Giới tính", LabelEN: "Gender", LabelKey: "cases.suspect.gender", Type: TypeCode, List: ListGender,
				HintVI: "để trống: không rõ", HintEN: "empty: unknown"},
			{Field: "nationality", LabelVI: "Quốc tịch", LabelEN: "Nationality", LabelKey: "cases.suspect.nationality", Type: TypeCountry, Required: true},
			{Field: "id_number", LabelVI: "Số giấy tờ", LabelEN: "ID number", LabelKey: "cases.suspect.id_number", Type: TypeText},
			{Field: "address", LabelVI: "Nơi cư trú", LabelEN: "Address", LabelKey: "cases.suspect.address", Type: TypeMultiline},
			{Field: "arrested_on", LabelVI: "Ngày bắt", LabelEN: "Arrested on", LabelKey: "cases.suspect.arrested_on", Type: TypeDate, Required: true},
			unitCol("arresting_unit_code", "Đơn vị bắt giữ", "Arresting unit", "cases.suspect.arresting_unit", true),
			{Field: "notes", LabelVI: "Ghi chú", LabelEN: "Notes", LabelKey: "cases.suspect.notes", Type: TypeMultiline},
		},
		Sample: map[string]string{"case_code": "012/BP-PCMT", "full_name": "Nguyễn Văn Tâm", "birth_year": "1978", "gender": "male",
			"nationality": "VN", "id_number": "285112347", "address": "ấp 3, xã Lộc Tấn, huyện Lộc Ninh, tỉnh Bình Phước",
			"arrested_on": "12/11/2004", "arresting_unit_code": unitSample, "notes": "Đối tượng cầm đầu đường dây."},
	}
}

func seizuresSheet() Sheet {
	return Sheet{Kind: KindSeizures, NameVI: "Tang vật", NameEN: "Seizures",
		AboutVI: "Mỗi dòng là một loại tang vật thu giữ trong một chuyên án, ghi theo số hiệu chuyên án.",
		AboutEN: "One row per category of goods seized in a case, named by the case's code.",
		Columns: []Column{
			caseCodeCol(true),
			{Field: "category", LabelVI: "Loại tang vật", LabelEN: "Item", LabelKey: "cases.seizure.category", Type: TypeCode, Required: true,
				List: ListItemCategory, HintVI: "số lượng tính theo đơn vị của loại tang vật", HintEN: "the quantity counts in the category's unit"},
			{Field: "quantity", LabelVI: "Số lượng", LabelEN: "Quantity", LabelKey: "cases.seizure.quantity", Type: TypeQuantity, Required: true},
			{Field: "seized_on", LabelVI: "Ngày thu giữ", LabelEN: "Seized on", LabelKey: "cases.seizure.seized_on", Type: TypeDate, Required: true},
			unitCol("seizing_unit_code", "Đơn vị thu giữ", "Seizing unit", "cases.seizure.seizing_unit", true),
			{Field: "location_type", LabelVI: "Nơi thu giữ", LabelEN: "Location", LabelKey: "cases.seizure.location_type", Type: TypeCode, List: ListLocationType},
			{Field: "transport_mode", LabelVI: "Phương tiện vận chuyển", LabelEN: "Transport", LabelKey: "cases.seizure.transport_mode",
				Type: TypeCode, List: ListTransportMode},
			{Field: "departure_country", LabelVI: "Nước đi", LabelEN: "From country", LabelKey: "cases.seizure.departure", Type: TypeCountry},
			{Field: "destination_country", LabelVI: "Nước đến", LabelEN: "To country", LabelKey: "cases.seizure.destination", Type: TypeCountry},
			{Field: "description", LabelVI: "Mô tả", LabelEN: "Description", LabelKey: "cases.seizure.description", Type: TypeMultiline},
		},
		Sample: map[string]string{"case_code": "012/BP-PCMT", "category": "synthetic_drug_pills", "quantity": "3.973",
			"seized_on": "12/11/2004", "seizing_unit_code": unitSample, "location_type": "border_crossing", "transport_mode": "car_motorbike",
			"departure_country": "KH", "destination_country": "VN", "description": "3.973 viên hồng phiến giấu trong yên xe máy"},
	}
}

func exchangesSheet() Sheet {
	return Sheet{Kind: KindExchanges, NameVI: "Trao đổi thông tin", NameEN: "Exchanges",
		AboutVI: "Mỗi dòng là một lần trao đổi thông tin giữa các đơn vị; một lần trao đổi được nhận biết bởi ngày và đơn vị chủ trì.",
		AboutEN: "One row per information exchange between units; an exchange is known by its date and organizing unit.",
		Columns: []Column{
			{Field: "held_on", LabelVI: "Ngày trao đổi", LabelEN: "Date", LabelKey: "exchanges.field.held_on", Type: TypeDate, Required: true},
			{Field: "kind", LabelVI: "Hình thức", LabelEN: "Kind", LabelKey: "exchanges.field.kind", Type: TypeCode, Required: true, List: ListExchangeKind},
			unitCol("organizing_unit_code", "Đơn vị chủ trì", "Organizing unit", "exchanges.field.organizing_unit", true),
			{Field: "unit_codes", LabelVI: "Đơn vị tham gia", LabelEN: "Units taking part", LabelKey: "exchanges.field.units",
				Type: TypeUnitList, Required: true,
				HintVI: "mã các đơn vị tham gia ngoài đơn vị chủ trì, cách nhau bởi dấu ;",
				HintEN: "the codes of the units taking part besides the organizer, separated by ;"},
			{Field: "summary", LabelVI: "Nội dung tóm tắt", LabelEN: "Summary", LabelKey: "exchanges.field.summary", Type: TypeMultiline},
		},
		Sample: map[string]string{"held_on": "15/01/2015", "kind": "periodic", "organizing_unit_code": unitSample,
			"unit_codes": "CA-LOC-NINH; HQ-CC-HOA-LU",
			"summary":    "Giao ban định kỳ quý IV/2014 về tình hình tội phạm ma túy trên tuyến biên giới huyện Lộc Ninh."},
	}
}

func tipsSheet() Sheet {
	return Sheet{Kind: KindTips, NameVI: "Tin", NameEN: "Tips",
		AboutVI: "Mỗi dòng là một tin do một đơn vị tiếp nhận; tin có từ một lần trao đổi thì ghi ngày và đơn vị chủ trì lần trao đổi đó.",
		AboutEN: "One row per tip a unit received; a tip from an exchange names it by its date and organizing unit.",
		Columns: []Column{
			{Field: "received_on", LabelVI: "Ngày tiếp nhận", LabelEN: "Received on", LabelKey: "tips.field.received_on", Type: TypeDate, Required: true},
			unitCol("source_unit_code", "Đơn vị tiếp nhận", "Receiving unit", "tips.field.source_unit", true),
			{Field: "exchange_held_on", LabelVI: "Ngày trao đổi", LabelEN: "Exchange date", Type: TypeDate,
				HintVI: "tin từ một lần trao đổi: ngày của lần trao đổi đó", HintEN: "a tip from an exchange: the exchange's date"},
			{Field: "exchange_unit_code", LabelVI: "Đơn vị chủ trì trao đổi", LabelEN: "Exchange's organizing unit", Type: TypeUnit, List: ListUnits,
				HintVI: "tin từ một lần trao đổi: đơn vị chủ trì lần trao đổi đó", HintEN: "a tip from an exchange: the exchange's organizing unit"},
			{Field: "subject", LabelVI: "Tiêu đề", LabelEN: "Subject", LabelKey: "tips.field.subject", Type: TypeText, Required: true},
			{Field: "content", LabelVI: "Nội dung", LabelEN: "Content", LabelKey: "tips.field.content", Type: TypeMultiline},
			{Field: "crime_type", LabelVI: "Loại tội phạm", LabelEN: "Crime type", LabelKey: "tips.field.crime_type", Type: TypeCode, Required: true, List: ListCrimeType},
			{Field: "status", LabelVI: "Tình trạng xác minh", LabelEN: "Verification", LabelKey: "tips.field.status", Type: TypeCode, List: ListTipStatus,
				HintVI: "để trống: mới", HintEN: "empty: new"},
			{Field: "verified_on", LabelVI: "Ngày kết luận", LabelEN: "Verified on", LabelKey: "tips.field.verified_on", Type: TypeDate,
				HintVI: "chỉ khi tin đã kết luận có hoặc không có giá trị", HintEN: "only for a tip verified as valuable or not valuable"},
			func() Column {
				c := caseCodeCol(false)
				c.HintVI, c.HintEN = "chỉ tin có giá trị: chuyên án tin dẫn đến", "only a valuable tip: the case it led to"
				return c
			}(),
			{Field: "source_reliability", LabelVI: "Độ tin cậy của nguồn tin", LabelEN: "Source reliability",
				LabelKey: "tips.field.source_reliability", Type: TypeCode, List: ListSourceReliability},
			{Field: "information_validity", LabelVI: "Độ xác thực của thông tin", LabelEN: "Information validity",
				LabelKey: "tips.field.information_validity", Type: TypeCode, List: ListInformationValidity},
			{Field: "handling_note", LabelVI: "Lưu ý xử lý", LabelEN: "Handling note", LabelKey: "tips.field.handling_note", Type: TypeMultiline},
		},
		Sample: map[string]string{"received_on": "17/02/2004", "source_unit_code": unitSample, "exchange_held_on": "", "exchange_unit_code": "",
			"subject": "Tin về nhóm đối tượng vận chuyển hồng phiến qua cửa khẩu Hoa Lư",
			"content": "Nhóm 3 đối tượng thường xuyên đi xe máy qua cửa khẩu vào ban đêm.", "crime_type": "drugs",
			"status": "valuable", "verified_on": "05/03/2004", "case_code": "012/BP-PCMT", "source_reliability": "B",
			"information_validity": "2", "handling_note": "Không tiết lộ nguồn tin."},
	}
}
