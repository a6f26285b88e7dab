package reports

import "strings"

// words are the Vietnamese and English names of one code.
type words struct{ vi, en string }

// in returns the name in lang ("vi" or "en").
func (w words) in(lang string) string {
	if lang == "en" {
		return w.en
	}
	return w.vi
}

// vocabulary maps the codes of one vocabulary to their names. The wording is the one of the
// pages (web/locales) and of the reference data (migrations), so the workbook says what the
// screens say.
type vocabulary map[string]words

// name returns the name of code in lang; "" stays "", and a code the vocabulary does not know
// is written as is rather than lost.
func (v vocabulary) name(code, lang string) string {
	if code == "" {
		return ""
	}
	if w, ok := v[code]; ok {
		return w.in(lang)
	}
	return code
}

// names writes a list of codes joined by sep ("CA, BP") as their names joined by ", ".
func (v vocabulary) names(codes, sep, lang string) string {
	if strings.TrimSpace(codes) == "" {
		return ""
	}
	parts := strings.Split(codes, sep)
	for i, p := range parts {
		parts[i] = v.name(strings.TrimSpace(p), lang)
	}
	return strings.Join(parts, ", ")
}

// The vocabularies of phoihop (internal/phoihop/vocab.go, DESIGN.md).
var (
	agencyNames = vocabulary{
		"CA":  {"Công an", "Police"},
		"BP":  {"Bộ đội Biên phòng", "Border Guard"},
		"CSB": {"Cảnh sát biển", "Coast Guard"},
		"HQ":  {"Hải quan", "Customs"},
	}
	crimeTypeNames = vocabulary{
		"drugs":       {"Tội phạm về ma túy", "Drug crime"},
		"smuggling":   {"Buôn lậu, gian lận thương mại", "Smuggling"},
		"weapons":     {"Tội phạm về vũ khí", "Weapons crime"},
		"trafficking": {"Mua bán người", "Human trafficking"},
		"other":       {"Tội phạm khác", "Other crime"},
	}
	areaNames = vocabulary{
		"border": {"Biên giới", "Border"},
		"inland": {"Nội địa", "Inland"},
		"sea":    {"Trên biển", "At sea"},
	}
	caseStatusNames = vocabulary{
		"open":      {"Đang tiến hành", "Open"},
		"concluded": {"Đã kết thúc", "Concluded"},
		"suspended": {"Tạm dừng", "Suspended"},
	}
	genderNames = vocabulary{
		"male":    {"Nam", "Male"},
		"female":  {"Nữ", "Female"},
		"unknown": {"Không rõ", "Unknown"},
	}
	exchangeKindNames = vocabulary{
		"periodic": {"Định kỳ", "Periodic"},
		"ad_hoc":   {"Đột xuất", "Ad hoc"},
		"phone":    {"Qua điện thoại", "By phone"},
		"document": {"Bằng văn bản", "In writing"},
	}
	tipStatusNames = vocabulary{
		"new":          {"Mới tiếp nhận", "New"},
		"verifying":    {"Đang xác minh", "Being verified"},
		"valuable":     {"Có giá trị", "Valuable"},
		"not_valuable": {"Không có giá trị", "Not valuable"},
	}
	locationTypeNames = vocabulary{
		"airport":             {"Cảng hàng không", "Airport"},
		"seaport":             {"Cảng biển", "Seaport"},
		"border_crossing":     {"Cửa khẩu", "Border crossing"},
		"road":                {"Đường bộ", "Road"},
		"rail":                {"Đường sắt", "Rail"},
		"postal":              {"Bưu chính, chuyển phát", "Postal / courier"},
		"dwelling":            {"Nhà ở", "Dwelling"},
		"warehouse":           {"Kho bãi", "Warehouse"},
		"commercial_premises": {"Cơ sở kinh doanh", "Commercial premises"},
		"waters":              {"Vùng nước, trên biển", "Waters"},
		"other":               {"Khác", "Other"},
	}
	transportModeNames = vocabulary{
		"aircraft":      {"Máy bay", "Aircraft"},
		"vessel":        {"Tàu thuyền", "Vessel"},
		"truck":         {"Xe tải", "Truck"},
		"car_motorbike": {"Ô tô, xe máy", "Car / motorbike"},
		"mail":          {"Bưu phẩm", "Mail"},
		"train_bus":     {"Tàu hỏa, xe khách", "Train / bus"},
		"on_foot":       {"Đi bộ", "On foot"},
		"other":         {"Khác", "Other"},
	}
	itemGroupNames = vocabulary{
		"drug":       {"Ma túy", "Drugs"},
		"weapon":     {"Vũ khí", "Weapons"},
		"ammunition": {"Đạn dược", "Ammunition"},
		"vehicle":    {"Phương tiện", "Vehicles"},
		"cash":       {"Tiền", "Cash"},
		"other":      {"Khác", "Other"},
	}
	// measureNames are the units of measure as a column heading or a table cell shows them.
	measureNames = vocabulary{
		"tablet":  {"viên", "tablets"},
		"g":       {"gam", "g"},
		"kg":      {"kg", "kg"},
		"ml":      {"ml", "ml"},
		"piece":   {"chiếc", "pieces"},
		"round":   {"viên", "rounds"},
		"vehicle": {"chiếc", "vehicles"},
		"VND":     {"đồng", "VND"},
	}
)
