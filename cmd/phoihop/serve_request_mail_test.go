package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"phoihop/internal/auth"
	"phoihop/internal/config"
	"phoihop/internal/mail/mailtest"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestServeMailsRequestSteps runs phoihop with a real SMTP server: a border guard officer
// sends the police a request over the API; the police officer of the receiving unit gets a
// Vietnamese mail with the link to the request, once; the police declines; the border post's
// officer gets the reason.
func TestServeMailsRequestSteps(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			srv := mailtest.Start(t, 0)
			dbURL := storetest.URL(t, engine)
			st := mustOpen(t, dbURL)
			ctx := context.Background()
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			sys := phoihop.SystemActor("test")
			from := phoihop.Date{Year: 2000, Month: 1, Day: 1}
			bp := &phoihop.Unit{Agency: "BP", Code: "BP-HOA-LU", Name: "Đồn Biên phòng Hoa Lư", Kind: "border_post", Border: true, ValidFrom: from}
			ca := &phoihop.Unit{Agency: "CA", Code: "CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: from}
			for _, u := range []*phoihop.Unit{bp, ca} {
				if err := st.CreateUnit(ctx, sys, store.Domains{All: true}, u); err != nil {
					t.Fatal(err)
				}
			}
			hash, err := auth.HashPassword("Mật-khẩu-thử-2016")
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range []struct {
				name, email, agency string
				unit                int64
			}{{"bp.hai", "hai@bp.example.vn", "BP", bp.ID}, {"ca.lan", "lan@ca.example.vn", "CA", ca.ID}} {
				email := a.email
				u := &phoihop.User{Username: a.name, FullName: "Cán bộ " + a.name, UnitID: &a.unit, Email: &email}
				if err := st.CreateUser(ctx, sys, store.AllAccounts(), u, hash, phoihop.RoleGrant{Role: "officer", Domain: a.agency}); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()

			r := startServe(t, map[string]string{config.EnvSMTPURL: srv.URL(), config.EnvPublicURL: "https://phoihop.example.vn"},
				"--database-url", dbURL)
			bpc, cac := apiSession(t, r.base, "bp.hai"), apiSession(t, r.base, "ca.lan")
			var sent struct {
				ID      int64 `json:"id"`
				Version int   `json:"version"`
			}
			apiCall(t, bpc, r.base, "POST", "/api/v1/requests", map[string]any{"kind": "provide_information", "from_unit": bp.ID,
				"to_agency": "CA", "to_unit": ca.ID, "subject": "Thông tin chủ xe tải 93C-123.45", "content": "Đề nghị cung cấp.",
				"due_on": time.Now().AddDate(0, 0, 7).Format("2006-01-02")}, http.StatusCreated, &sent)
			got := srv.WaitReceived(1, 20*time.Second)
			link := "https://phoihop.example.vn/requests/" + jsonID(sent.ID)
			if len(got) != 1 || got[0].RcptTos[0] != "lan@ca.example.vn" ||
				got[0].Subject != "[phoihop] Đề nghị phối hợp mới: Thông tin chủ xe tải 93C-123.45" || !strings.Contains(got[0].Body, link) {
				t.Fatalf("mails after the request was sent = %+v\nlog:\n%s", got, r.log)
			}
			apiCall(t, cac, r.base, "POST", "/api/v1/requests/"+jsonID(sent.ID)+"/decline",
				map[string]any{"version": sent.Version, "reason": "Xe không đăng ký tại huyện."}, http.StatusOK, nil)
			got = srv.WaitReceived(2, 20*time.Second)
			r.stop(t)
			if len(got) != 2 || got[1].RcptTos[0] != "hai@bp.example.vn" ||
				got[1].Subject != "[phoihop] Đề nghị bị từ chối: Thông tin chủ xe tải 93C-123.45" ||
				!strings.Contains(got[1].Body, "Xe không đăng ký tại huyện.") {
				t.Fatalf("mails after the decline = %+v", got)
			}
		})
	}
}

func jsonID(id int64) string { b, _ := json.Marshal(id); return string(b) }

// apiSession signs in over the API and returns the session's bearer token.
func apiSession(t *testing.T, base, username string) string {
	t.Helper()
	var tok struct{ Token string }
	apiCall(t, "", base, "POST", "/api/v1/session", map[string]string{"username": username, "password": "Mật-khẩu-thử-2016"}, http.StatusOK, &tok)
	return tok.Token
}

// apiCall sends the JSON body with the token and decodes the answer into out, failing unless
// the status is want.
func apiCall(t *testing.T, token, base, method, path string, body any, want int, out any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, res.StatusCode, want, buf.String())
	}
	if out != nil {
		if err := json.Unmarshal(buf.Bytes(), out); err != nil {
			t.Fatal(err)
		}
	}
}
