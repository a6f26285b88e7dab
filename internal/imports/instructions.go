package imports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// instructionRules are the rules of the import, one a line, in each language.
var instructionRules = map[string][]string{
	"vi": {
		"Mỗi dòng là một bản ghi; dòng đầu tiên của mỗi sheet là tiêu đề cột. Không đổi tên sheet, không sửa tiêu đề cột (tên trường trong ngoặc vuông [ ] dùng để nhận biết cột).",
		"Ngày ghi theo dạng dd/mm/yyyy (ví dụ 12/05/2016) hoặc để ô kiểu ngày.",
		"Số lượng ghi như trên trang: 3.973 (dấu chấm ngăn cách hàng nghìn) hoặc 9,8 (dấu phẩy thập phân), hoặc để ô kiểu số.",
		"Cột có danh sách chọn: chọn trong danh sách (dạng \"mã — tên\") hoặc gõ đúng mã; chỉ phần mã trước dấu — được đọc.",
		"Đối tượng, tang vật ghi chuyên án bằng số hiệu chuyên án [case_code]: chuyên án trên sheet Chuyên án hoặc đã có trong hệ thống.",
		"Đơn vị ghi bằng mã đơn vị (hoặc tên đúng như trong hệ thống); danh sách chọn gồm các đơn vị của lực lượng bạn nhập dữ liệu.",
		"Tin có từ một lần trao đổi thông tin ghi lần trao đổi đó bằng ngày trao đổi [exchange_held_on] và đơn vị chủ trì [exchange_unit_code].",
		"Nhiều giá trị trong một ô (lực lượng tham gia, đơn vị tham gia) cách nhau bởi dấu chấm phẩy ;",
		"Dòng chuyên án có số hiệu đã có trong hệ thống và do lực lượng của bạn chủ trì sẽ cập nhật chuyên án đó; các dòng khác tạo bản ghi mới.",
		"Tải tệp lên để kiểm tra trước: mọi lỗi được liệt kê theo sheet, dòng và cột; không có gì được ghi khi tệp còn lỗi.",
	},
	"en": {
		"One row per record; the first row of each sheet holds the column headers. Do not rename the sheets or edit the headers (the field name in brackets [ ] identifies each column).",
		"Write dates as dd/mm/yyyy (e.g. 12/05/2016) or use date cells.",
		"Write quantities as the pages do: 3.973 (dot between thousands) or 9,8 (decimal comma), or use number cells.",
		"Columns with a drop-down: pick from the list (\"code — name\") or type the exact code; only the code before the — is read.",
		"Arrests and seizures name their case by its code [case_code]: a case on the Cases sheet or one already recorded.",
		"Name a unit by its code (or its exact name as recorded); the drop-downs list the units of the agencies you import for.",
		"A tip from an information exchange names that exchange by its date [exchange_held_on] and organizing unit [exchange_unit_code].",
		"Several values in one cell (agencies taking part, units taking part) are separated by a semicolon ;",
		"A case row whose code already exists, owned by your agency, updates that case; other rows create new records.",
		"Upload the file for a dry run first: every error is listed by sheet, row and column; nothing is written while the file has errors.",
	},
}

// typeNames are the column types as the instructions describe them.
var typeNames = map[ColumnType][2]string{
	TypeText:      {"văn bản", "text"},
	TypeMultiline: {"văn bản nhiều dòng", "multi-line text"},
	TypeDate:      {"ngày dd/mm/yyyy", "date dd/mm/yyyy"},
	TypeQuantity:  {"số lượng (3.973 hoặc 9,8)", "quantity (3.973 or 9,8)"},
	TypeInteger:   {"số nguyên", "whole number"},
	TypeCode:      {"mã trong danh sách", "code from the list"},
	TypeCountry:   {"mã quốc gia 2 chữ cái (VN, LA, KH, CN…)", "two-letter country code (VN, LA, KH, CN…)"},
	TypeUnit:      {"mã đơn vị", "unit code"},
	TypeUnitList:  {"các mã đơn vị, cách nhau bởi ;", "unit codes separated by ;"},
	TypeAgencies:  {"các mã lực lượng, cách nhau bởi ;", "agency codes separated by ;"},
}

// TypeName returns the column type as the instructions name it in lang.
func TypeName(t ColumnType, lang string) string {
	n := typeNames[t]
	return pick(lang, n[0], n[1])
}

// writeInstructions writes the instructions sheet: the title, the agencies, the rules, then
// per data sheet what a row is, its columns (required ones marked) and a sample row.
func (tw *templateWriter) writeInstructions(name string, sheets []Sheet) error {
	lang, f := tw.lang, tw.f
	row := 1
	put := func(style int, values ...any) error {
		cell, err := cellName(1, row)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(name, cell, &values); err != nil {
			return err
		}
		if style != 0 {
			last, err := cellName(len(values), row)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, last, style); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := put(tw.title, pick(lang, "Mẫu nhập dữ liệu chuyên án, đối tượng, tang vật, trao đổi thông tin và tin",
		"Import template: cases, arrests, seizures, exchanges and tips")); err != nil {
		return err
	}
	if tw.t.Agency != "" {
		if err := put(0, pick(lang, "Lực lượng nhập dữ liệu: ", "Importing agency: ")+cellText(tw.t.Agency)); err != nil {
			return err
		}
	}
	row++
	if err := put(tw.bold, pick(lang, "Quy tắc", "Rules")); err != nil {
		return err
	}
	for i, r := range instructionRules[lang] {
		if err := put(tw.wrap, fmt.Sprintf("%d. %s", i+1, r)); err != nil {
			return err
		}
	}
	for _, s := range sheets {
		row++
		if err := put(tw.title, "Sheet "+s.Name(lang)); err != nil {
			return err
		}
		if err := put(tw.wrap, pick(lang, s.AboutVI, s.AboutEN)); err != nil {
			return err
		}
		if err := put(tw.bold, pick(lang, "Tiêu đề cột", "Column header"), pick(lang, "Bắt buộc", "Required"),
			pick(lang, "Kiểu", "Type"), pick(lang, "Ghi chú", "Notes")); err != nil {
			return err
		}
		for _, c := range s.Columns {
			req := ""
			if c.Required {
				req = pick(lang, "Bắt buộc", "Required")
			}
			hint := pick(lang, c.HintVI, c.HintEN)
			if err := put(tw.wrap, c.Header(lang), req, TypeName(c.Type, lang), hint); err != nil {
				return err
			}
		}
		if err := put(tw.bold, pick(lang, "Dòng mẫu:", "Sample row:")); err != nil {
			return err
		}
		headers, sample := make([]any, len(s.Columns)), make([]any, len(s.Columns))
		for i, c := range s.Columns {
			headers[i] = c.Header(lang)
			sample[i] = cellText(tw.sampleValue(s.Sample[c.Field]))
		}
		if err := put(tw.bold, headers...); err != nil {
			return err
		}
		if err := put(0, sample...); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(name, "A", "A", 60); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "B", "C", 22); err != nil {
		return err
	}
	return f.SetColWidth(name, "D", "M", 30)
}

// sampleValue is a sample cell's text: the unit placeholder becomes the code of the importer's
// first unit (a demo unit's code when they have none).
func (tw *templateWriter) sampleValue(v string) string {
	if v != unitSample {
		return v
	}
	if len(tw.t.Units) > 0 {
		return tw.t.Units[0].Code
	}
	return "BP-DON-HOA-LU"
}

// cellName is the name of the cell at column col and row (both from 1).
func cellName(col, row int) (string, error) { return excelize.CoordinatesToCellName(col, row) }
