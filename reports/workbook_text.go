package reports

import (
	"fmt"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// texts are the fixed words of the workbook in one language.
type texts struct {
	lang, docLang                                             string
	summarySheet, yearSheet                                   string
	casesSheet, seizuresSheet, suspectsSheet, exchangesSheet  string
	tipsSheet                                                 string
	nation, motto, numberPrefix, title, subject               string
	periodFmt, allAgencies, agenciesFmt, agreementNote        string
	no, content, measure, figure, agency, item                string
	none                                                      string
	secCases, casesTotal, casesNew, casesConcluded            string
	byLeadAgency, byCrimeType, unitCases                      string
	secSuspects, suspectsTotal, vietnamese, foreign           string
	byArrestingAgency, unitPersons                            string
	secSeizures, bySeizingAgency                              string
	secExchanges, exchangesTotal, byKind, byAgencyTakingPart  string
	unitTimes                                                 string
	secTips, tipsReceived, tipsValuable, tipsLedToCase        string
	unitTips                                                  string
	year, cases, suspects, exchanges, valuableTips, wholeTerm string
	yearNote, chartTitle                                      string
	// The requests between agencies: the section, its columns in three bands, the total line
	// and the note on how they are counted.
	secRequests, total, requestsNote string
	requestHeads                     [3][3]string
	// The sections an issued report adds (numbered after the figures' sections): shortcomings,
	// next tasks, "Nơi nhận".
	secShortcomings, secNextTasks, recipientsHead, notWritten string
	// The comparison with another period: the two columns of sections I–V (the figure of the
	// same period a year before, or of another period, and the change) and the line naming
	// the compared period after the period line.
	sameTime, comparedTerm, change string
	sameTimeFmt, comparedFmt       string
}

var textsVI = texts{
	lang: "vi", docLang: "vi-VN",
	summarySheet: "Tổng hợp", yearSheet: "Theo năm",
	casesSheet: "Chuyên án", seizuresSheet: "Tang vật", suspectsSheet: "Đối tượng",
	exchangesSheet: "Trao đổi thông tin", tipsSheet: "Tin",
	nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto: "Độc lập - Tự do - Hạnh phúc",
	numberPrefix: "Số:", title: "BÁO CÁO",
	subject:       "Tổng kết công tác phối hợp phòng, chống tội phạm ma túy và tội phạm trên tuyến biên giới",
	periodFmt:     "Từ ngày %s đến ngày %s",
	allAgencies:   "Phạm vi: tất cả các lực lượng",
	agenciesFmt:   "Lực lượng: %s",
	agreementNote: "chỉ các chuyên án theo kế hoạch phối hợp đã chọn",
	no:            "STT", content: "Nội dung", measure: "Đơn vị tính", figure: "Số lượng",
	agency: "Lực lượng", item: "Tang vật", none: "Không có",
	secCases: "I. CHUYÊN ÁN PHỐI HỢP ĐẤU TRANH", casesTotal: "Tổng số chuyên án đấu tranh",
	casesNew: "Chuyên án xác lập mới trong kỳ", casesConcluded: "Chuyên án kết thúc trong kỳ",
	byLeadAgency: "Chia theo lực lượng chủ trì", byCrimeType: "Chia theo loại tội phạm", unitCases: "chuyên án",
	secSuspects: "II. ĐỐI TƯỢNG BỊ BẮT GIỮ", suspectsTotal: "Tổng số đối tượng bị bắt giữ",
	vietnamese: "Người Việt Nam", foreign: "Người nước ngoài",
	byArrestingAgency: "Chia theo lực lượng bắt giữ", unitPersons: "đối tượng",
	secSeizures: "III. TANG VẬT THU GIỮ", bySeizingAgency: "Chia theo lực lượng thu giữ",
	secExchanges: "IV. TRAO ĐỔI THÔNG TIN", exchangesTotal: "Tổng số lần trao đổi thông tin",
	byKind: "Chia theo hình thức", byAgencyTakingPart: "Chia theo lực lượng tham gia", unitTimes: "lần",
	secTips: "V. TIN VÀ KẾT QUẢ XÁC MINH", tipsReceived: "Tin tiếp nhận trong kỳ",
	tipsValuable: "Tin xác minh có giá trị", tipsLedToCase: "Tin có giá trị dẫn tới xác lập chuyên án", unitTips: "tin",
	year: "Năm", cases: "Chuyên án", suspects: "Đối tượng", exchanges: "Trao đổi thông tin",
	valuableTips: "Tin có giá trị", wholeTerm: "Cả kỳ",
	yearNote: "Chuyên án kéo dài qua nhiều năm được tính ở mỗi năm; dòng \"Cả kỳ\" tính mỗi chuyên án một lần. " +
		"Số lượng tang vật ghi theo đơn vị tính trong ngoặc.",
	chartTitle:  "Kết quả phối hợp theo năm",
	secRequests: "VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", total: "Cộng",
	requestHeads: [3][3]string{
		{"Đề nghị đã gửi", "Đề nghị đã nhận", "Đã chấp nhận"},
		{"Đã từ chối", "Đã trả lời", "Trả lời đúng hạn"},
		{"Số ngày trả lời (trung vị)", "Chưa trả lời đến cuối kỳ", "Trong đó quá hạn"},
	},
	requestsNote: "Đề nghị đã gửi, đã nhận: ngày gửi trong kỳ. Chấp nhận, từ chối, trả lời: trong số đề nghị đã nhận " +
		"trong kỳ, tính đến hết ngày cuối kỳ; số ngày trả lời là trung vị từ ngày gửi đến ngày trả lời. " +
		"Chưa trả lời đến cuối kỳ: chưa được trả lời, không bị từ chối hay rút lại đến hết ngày cuối kỳ, kể cả đề nghị " +
		"nhận trước kỳ; quá hạn: hạn trả lời trước ngày cuối kỳ.",
	secShortcomings: "TỒN TẠI, HẠN CHẾ", secNextTasks: "PHƯƠNG HƯỚNG, NHIỆM VỤ",
	recipientsHead: "Nơi nhận:", notWritten: "(Không có)",
	sameTime: "Cùng kỳ", comparedTerm: "Kỳ so sánh", change: "Tăng, giảm",
	sameTimeFmt: "so với cùng kỳ từ ngày %s đến ngày %s", comparedFmt: "so với kỳ từ ngày %s đến ngày %s",
}

var textsEN = texts{
	lang: "en", docLang: "en-GB",
	summarySheet: "Summary", yearSheet: "By year",
	casesSheet: "Cases", seizuresSheet: "Seizures", suspectsSheet: "Suspects",
	exchangesSheet: "Exchanges", tipsSheet: "Tips",
	nation: "SOCIALIST REPUBLIC OF VIETNAM", motto: "Independence - Freedom - Happiness",
	numberPrefix: "No.:", title: "SUMMARY REPORT",
	subject:       "Review of the coordination in preventing and combating drug crime and crime along the border",
	periodFmt:     "From %s to %s",
	allAgencies:   "Scope: all agencies",
	agenciesFmt:   "Agencies: %s",
	agreementNote: "only the cases under the chosen coordination plan",
	no:            "No.", content: "Item", measure: "Unit", figure: "Number",
	agency: "Agency", item: "Item seized", none: "None",
	secCases: "I. JOINT CASES", casesTotal: "Joint cases fought",
	casesNew: "Newly opened in the period", casesConcluded: "Concluded in the period",
	byLeadAgency: "By lead agency", byCrimeType: "By crime type", unitCases: "cases",
	secSuspects: "II. SUSPECTS ARRESTED", suspectsTotal: "Suspects arrested",
	vietnamese: "Vietnamese nationals", foreign: "Foreign nationals",
	byArrestingAgency: "By arresting agency", unitPersons: "persons",
	secSeizures: "III. ITEMS SEIZED", bySeizingAgency: "By seizing agency",
	secExchanges: "IV. INFORMATION EXCHANGES", exchangesTotal: "Information exchanges held",
	byKind: "By kind", byAgencyTakingPart: "By agency taking part", unitTimes: "times",
	secTips: "V. TIPS AND VERIFICATION", tipsReceived: "Tips received in the period",
	tipsValuable: "Tips verified as valuable", tipsLedToCase: "Valuable tips that led to a case", unitTips: "tips",
	year: "Year", cases: "Cases", suspects: "Suspects", exchanges: "Exchanges",
	valuableTips: "Valuable tips", wholeTerm: "Whole period",
	yearNote: "A case running over several years counts in each of them; the \"Whole period\" row counts " +
		"every case once. Quantities seized are in the unit given in brackets.",
	chartTitle:  "Coordination results by year",
	secRequests: "VI. REQUESTS BETWEEN AGENCIES", total: "Total",
	requestHeads: [3][3]string{
		{"Requests sent", "Requests received", "Accepted"},
		{"Declined", "Answered", "Answered on time"},
		{"Days to answer (median)", "Open at the end", "Of which overdue"},
	},
	requestsNote: "Requests sent and received: sent in the period. Accepted, declined, answered: of the requests " +
		"received in the period, by the end of its last day; days to answer is the median from the day sent to the " +
		"day answered. Open at the end: neither answered, declined nor withdrawn by the end of its last day, requests " +
		"received before the period too; overdue: due before its last day.",
	secShortcomings: "SHORTCOMINGS", secNextTasks: "NEXT TASKS",
	recipientsHead: "Recipients:", notWritten: "(None)",
	sameTime: "Same period last year", comparedTerm: "Period compared", change: "Change",
	sameTimeFmt: "compared with the same period a year before, %s to %s", comparedFmt: "compared with %s to %s",
}

// textsIn returns the texts of lang ("vi" or "en").
func textsIn(lang string) *texts {
	if lang == "en" {
		return &textsEN
	}
	return &textsVI
}

// dateLine is the place-and-date line: "Bình Phước, ngày 12 tháng 5 năm 2016" or
// "Bình Phước, 12 May 2016". As Decree 30/2020/NĐ-CP (Appendix I) requires, a Vietnamese day
// below 10 and the months 1 and 2 get a leading zero ("ngày 05 tháng 02"), no other number does.
func (t *texts) dateLine(place string, d phoihop.Date) string {
	var s string
	if t.lang == "en" {
		s = fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	} else {
		day, month := fmt.Sprint(d.Day), fmt.Sprint(int(d.Month))
		if d.Day < 10 {
			day = "0" + day
		}
		if d.Month <= time.February {
			month = "0" + month
		}
		s = "ngày " + day + " tháng " + month + " năm " + fmt.Sprint(d.Year)
	}
	if place == "" {
		return s
	}
	return place + ", " + s
}

// comparedLine names the period the summary is compared with, to follow the period line:
// "so với cùng kỳ từ ngày 13/02/2003 đến ngày 12/05/2015" (or "so với kỳ …" when it is not
// the same period a year before).
func (t *texts) comparedLine(s *store.Summary) string {
	p, format := s.Previous, t.comparedFmt
	if yearBefore(s) {
		format = t.sameTimeFmt
	}
	return fmt.Sprintf(format, p.From.FormatVN(), p.To.FormatVN())
}

// previousHead is the heading of the column of the compared period's figures.
func (t *texts) previousHead(s *store.Summary) string {
	if yearBefore(s) {
		return t.sameTime
	}
	return t.comparedTerm
}

// yearBefore says whether s is compared with the same period a year before.
func yearBefore(s *store.Summary) bool {
	p := s.Previous
	return p != nil && p.From == s.From.YearEarlier() && p.To == s.To.YearEarlier()
}

// periodLine is "Từ ngày 13/02/2004 đến ngày 12/05/2016" or "From 13/02/2004 to 12/05/2016".
func (t *texts) periodLine(from, to phoihop.Date) string {
	return fmt.Sprintf(t.periodFmt, from.FormatVN(), to.FormatVN())
}
