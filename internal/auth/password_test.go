package auth

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("Mật khẩu đủ dài 2016")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash = %q, want argon2id with m=65536,t=3,p=2", h)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"Mật khẩu đủ dài 2016", true}, {"Mat khau du dai 2016", false}, {"", false}} {
		got, err := CheckPassword(tt.pw, h)
		if err != nil || got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.pw, got, err, tt.want)
		}
	}
	if _, err := CheckPassword("x", "not a hash"); err == nil {
		t.Error("CheckPassword on a malformed hash gave no error")
	}
	a, b := GeneratePassword(), GeneratePassword()
	if len(a) < 16 || a == b {
		t.Errorf("GeneratePassword gave %q and %q", a, b)
	}
}
