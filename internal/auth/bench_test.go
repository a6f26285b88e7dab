package auth_test

import (
	"context"
	"fmt"
	"testing"

	"phoihop/internal/auth"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// BenchmarkLoginRefused measures a refused sign-in for an unknown username and for a known
// one with a wrong password, in the same run: the two must cost about the same (DESIGN.md:
// similar timing), so their ratio is the figure to read (see BENCHMARKS.md).
func BenchmarkLoginRefused(b *testing.B) {
	st := storetest.Open(b, config.SQLite)
	svc, err := auth.NewService(st)
	if err != nil {
		b.Fatal(err)
	}
	hash, err := auth.HashPassword("Mật khẩu đúng 2016")
	if err != nil {
		b.Fatal(err)
	}
	u := &phoihop.User{Username: "co.that", FullName: "Có Thật"}
	if err := st.CreateUser(context.Background(), phoihop.SystemActor("bench"), store.AllAccounts(), u, hash); err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct{ name, username string }{{"unknown_user", "khong.co"}, {"wrong_password", "co.that"}} {
		b.Run(tt.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				// A new address each time, so the per-address throttle never answers early.
				a := phoihop.Actor{IP: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}
				if _, _, _, err := svc.Login(context.Background(), a, tt.username, "sai mật khẩu", phoihop.SessionWeb, ""); err != auth.ErrBadCredentials {
					b.Fatalf("login = %v", err)
				}
			}
		})
	}
}
