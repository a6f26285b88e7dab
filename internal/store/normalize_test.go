package store

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Trần Thắng Phúc", "tran thang phuc"},
		{"TRẦN THẮNG PHÚC", "tran thang phuc"},
		{"tran  thang\tPHUC ", "tran thang phuc"},
		{"Đồn Biên phòng Hoàng Diệu", "don bien phong hoang dieu"},
		{"đường Điện Biên Phủ", "duong dien bien phu"},
		{"Bộ đội Biên phòng", "bo doi bien phong"},
		{"Nguyễn Thị Hường", "nguyen thi huong"},
		{"Lộc Ninh, Bù Đốp, Bù Gia Mập", "loc ninh, bu dop, bu gia map"},
		{"Chi cục Hải quan cửa khẩu Hoa Lư", "chi cuc hai quan cua khau hoa lu"},
		{"ma túy tổng hợp", "ma tuy tong hop"},
		{"Quyết định số 133/2002/QĐ-TTg", "quyet dinh so 133/2002/qd-ttg"},
		{"Phạm Ngọc Ửng", "pham ngoc ung"},
		{"Ỷ Lan Ơn Ưng", "y lan on ung"},
		// Decomposed input (as some keyboards send it) folds the same way.
		{"Tra\u0300n", "tran"},
		{"Sơn La 2016", "son la 2016"},
		{"", ""},
		{"   ", ""},
		{"Müller Ñandú", "muller nandu"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
