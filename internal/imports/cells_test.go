package imports

import (
	"testing"

	"phoihop/internal/phoihop"
)

func TestParseDate(t *testing.T) {
	may12 := phoihop.Date{Year: 2016, Month: 5, Day: 12}
	for _, tc := range []struct {
		name    string
		cell    Cell
		want    phoihop.Date
		wantErr string
	}{
		{"day/month one digit", Cell{Raw: "12/5/2016"}, may12, ""},
		{"dd/mm/yyyy", Cell{Raw: "12/05/2016"}, may12, ""},
		{"ISO", Cell{Raw: "2016-05-12"}, may12, ""},
		{"dashes", Cell{Raw: "12-05-2016"}, may12, ""},
		{"dots", Cell{Raw: "12.05.2016"}, may12, ""},
		{"spaces and NBSP around", Cell{Raw: "\u00a0 12/05/2016 "}, may12, ""},
		{"serial", Cell{Raw: "42502", Numeric: true}, may12, ""},
		{"serial with .0", Cell{Raw: "42502.0", Numeric: true}, may12, ""},
		{"serial with a time of day", Cell{Raw: "42502.75", Numeric: true}, may12, ""},
		{"serial 59 is 28/02/1900", Cell{Raw: "59", Numeric: true}, phoihop.Date{Year: 1900, Month: 2, Day: 28}, ""},
		{"serial 61 is 01/03/1900 (leap-year bug)", Cell{Raw: "61", Numeric: true}, phoihop.Date{Year: 1900, Month: 3, Day: 1}, ""},
		{"serial 1 is 01/01/1900", Cell{Raw: "1", Numeric: true}, phoihop.Date{Year: 1900, Month: 1, Day: 1}, ""},
		{"1904 serial", Cell{Raw: "41040", Numeric: true, Date1904: true}, may12, ""},
		{"1904 serial 0", Cell{Raw: "0", Numeric: true, Date1904: true}, phoihop.Date{Year: 1904, Month: 1, Day: 1}, ""},
		{"serial 60 never was", Cell{Raw: "60", Numeric: true}, phoihop.Date{}, msgNoSuchDay},
		{"serial 0", Cell{Raw: "0", Numeric: true}, phoihop.Date{}, msgNotDate},
		{"negative serial", Cell{Raw: "-3", Numeric: true}, phoihop.Date{}, msgNotDate},
		{"serial past 9999", Cell{Raw: "2958466", Numeric: true}, phoihop.Date{}, msgNotDate},
		{"31/02 does not exist", Cell{Raw: "31/02/2016"}, phoihop.Date{}, msgNoSuchDay},
		{"ISO 2016-02-31 does not exist", Cell{Raw: "2016-02-31"}, phoihop.Date{}, msgNoSuchDay},
		{"29/02 of a common year", Cell{Raw: "29/02/2015"}, phoihop.Date{}, msgNoSuchDay},
		{"month 13", Cell{Raw: "12/13/2016"}, phoihop.Date{}, msgNotDate},
		{"words", Cell{Raw: "hôm qua"}, phoihop.Date{}, msgNotDate},
		{"empty", Cell{Raw: "  "}, phoihop.Date{}, msgNotDate},
		{"a date-looking text is not a serial", Cell{Raw: "42502"}, phoihop.Date{}, msgNotDate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.cell)
			if tc.wantErr != "" {
				if err == nil || phoihop.ErrorCode(err) != phoihop.EInvalid || phoihop.ErrorMessage(err) != tc.wantErr {
					t.Fatalf("ParseDate(%+v) = %v, %v; want error %q", tc.cell, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseDate(%+v) = %v, %v; want %v", tc.cell, got, err, tc.want)
			}
		})
	}
}

func TestParseQuantity(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cell    Cell
		want    phoihop.Quantity
		wantErr bool
	}{
		{"text thousands with a dot", Cell{Raw: "3.973"}, 3973000, false},
		{"text decimal comma", Cell{Raw: "9,8"}, 9800, false},
		{"text both", Cell{Raw: "1.234,5"}, 1234500, false},
		{"text with NBSP group", Cell{Raw: "3\u00a0973"}, 3973000, false},
		{"number 9.8", Cell{Raw: "9.8", Numeric: true}, 9800, false},
		{"number 3973", Cell{Raw: "3973", Numeric: true}, 3973000, false},
		{"number 3.973 is three point nine seven three", Cell{Raw: "3.973", Numeric: true}, 3973, false},
		{"number in E form", Cell{Raw: "1E3", Numeric: true}, 1000000, false},
		{"float noise", Cell{Raw: "0.30000000000000004", Numeric: true}, 300, false},
		{"rounded to three decimals", Cell{Raw: "1.23456", Numeric: true}, 1235, false},
		{"number zero", Cell{Raw: "0", Numeric: true}, 0, true},
		{"number rounding to zero", Cell{Raw: "0.0001", Numeric: true}, 0, true},
		{"negative number", Cell{Raw: "-2", Numeric: true}, 0, true},
		{"huge number", Cell{Raw: "1E20", Numeric: true}, 0, true},
		{"text four decimals", Cell{Raw: "9,8765"}, 0, true},
		{"text words", Cell{Raw: "nhiều"}, 0, true},
		{"empty", Cell{Raw: ""}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuantity(tc.cell)
			if tc.wantErr {
				if err == nil || phoihop.ErrorMessage(err) != msgNotQuantity {
					t.Fatalf("ParseQuantity(%+v) = %v, %v; want error %q", tc.cell, got, err, msgNotQuantity)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseQuantity(%+v) = %v, %v; want %v", tc.cell, got, err, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		name, in, line, text string
	}{
		{"spaces at the ends", "  Nguyễn Văn A ", "Nguyễn Văn A", "Nguyễn Văn A"},
		{"NBSP, figure and narrow spaces at the ends", "\u00a0\u2007A\u202f", "A", "A"},
		{"inner runs", "Nguyễn \u00a0  Văn\tA", "Nguyễn Văn A", "Nguyễn Văn A"},
		{"NFD composed", "Nguye\u0302\u0303n", "Nguyễn", "Nguyễn"},
		{"line breaks", " dòng 1 \r\n\r\n  dòng\u00a02\n", "dòng 1 dòng 2", "dòng 1\n\ndòng 2"},
		{"blank", " \u00a0\n ", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormalizeLine(tc.in); got != tc.line {
				t.Fatalf("NormalizeLine(%q) = %q, want %q", tc.in, got, tc.line)
			}
			if got := NormalizeText(tc.in); got != tc.text {
				t.Fatalf("NormalizeText(%q) = %q, want %q", tc.in, got, tc.text)
			}
		})
	}
}

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Ngày xác lập [opened_on]", "opened_on", true},
		{"Opened on [opened_on]", "opened_on", true},
		{"\u00a0Ngày  xác lập\u00a0[ opened_on ] ", "opened_on", true},
		{"Nga\u0300y [case_code]", "case_code", true},
		{"[unit_code]", "unit_code", true},
		{"Ngày xác lập", "", false},
		{"Ngày xác lập []", "", false},
		{"Ngày [opened_on] (dd/mm/yyyy)", "", false},
		{"Ngày [Opened On]", "", false},
		{"", "", false},
	} {
		got, ok := ParseHeader(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseHeader(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBlankRow(t *testing.T) {
	if !BlankRow([]Cell{{Raw: " "}, {Raw: "\u00a0"}, {}}) {
		t.Fatal("a row of spaces is not blank")
	}
	if !BlankRow(nil) {
		t.Fatal("a row of no cells is not blank")
	}
	if BlankRow([]Cell{{}, {Raw: "0", Numeric: true}}) {
		t.Fatal("a row with a 0 is blank")
	}
}
