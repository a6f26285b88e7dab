package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	"phoihop/internal/mail"
	"phoihop/internal/mail/mailtest"
	"phoihop/internal/storetest"
)

func TestServeSendsQueuedMail(t *testing.T) {
	// A mail enqueued while no instance ran is sent by the next start, once; SIGTERM then
	// stops the server and its queue cleanly.
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			srv := mailtest.Start(t, 0)
			dbURL := storetest.URL(t, engine)
			st := mustOpen(t, dbURL)
			if _, err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			e, err := st.Enqueue(context.Background(), mail.Kind, mail.Message{To: "bp.tvhai@example.vn",
				Subject: "Đề nghị phối hợp mới", Body: "Đồn Biên phòng Hoa Lư nhận được một đề nghị phối hợp."}, nil)
			if err != nil {
				t.Fatal(err)
			}
			st.Close()

			r := startServe(t, map[string]string{config.EnvSMTPURL: srv.URL(), config.EnvMailFrom: "tin@example.vn"},
				"--database-url", dbURL)
			got := srv.WaitReceived(1, 15*time.Second)
			r.stop(t)
			if len(got) != 1 || got[0].Subject != "Đề nghị phối hợp mới" || got[0].RcptTos[0] != "bp.tvhai@example.vn" ||
				got[0].MailFrom != "tin@example.vn" || !strings.Contains(got[0].Body, "Đồn Biên phòng Hoa Lư") {
				t.Fatalf("the server received %+v, want the one mail enqueued\nlog:\n%s", got, r.log)
			}
			log := r.log.String()
			for _, w := range []string{"mails are sent", "server=127.0.0.1:", "kinds=\"[mail report_export]\"", "phoihop stopped"} {
				if !strings.Contains(log, w) {
					t.Fatalf("log lacks %q\nlog:\n%s", w, log)
				}
			}
			st = mustOpen(t, dbURL)
			in, err := st.Job(context.Background(), e.ID)
			if err != nil || in.State != jobs.StateDone || in.Attempt != 1 {
				t.Fatalf("mail job = %+v, %v; want done at attempt 1", in, err)
			}
		})
	}
}

func TestServeWithoutMailServerSendsNone(t *testing.T) {
	r := startServe(t, nil, "--database-url", storetest.URL(t, config.SQLite))
	r.stop(t)
	if log := r.log.String(); !strings.Contains(log, "no mail server configured (PHOIHOP_SMTP_URL): no mail is sent") ||
		!strings.Contains(log, "kinds=[report_export]") {
		t.Fatalf("log does not say that no mail is sent, or runs other jobs than the report exports\nlog:\n%s", log)
	}
}

func TestServeRefusesBadMailSettings(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{config.EnvSMTPURL: "smtp://thu:b1m4t@mail.example.vn?starttls=maybe"}, "--smtp-url / PHOIHOP_SMTP_URL"},
		{map[string]string{config.EnvMailFrom: "phoihop"}, "--mail-from / PHOIHOP_MAIL_FROM"},
	} {
		stdout, stderr, err := runCmd(t, tc.env, "", "serve", "--addr", "127.0.0.1:0", "--database-url", "sqlite://"+t.TempDir()+"/x.db")
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error()+stdout+stderr, "b1m4t") {
			t.Fatalf("serve with %v = %v, want a usage error naming %s without the password", tc.env, err, tc.want)
		}
		if _, ok := err.(usageError); !ok {
			t.Fatalf("serve with %v = %T, want a usageError (exit status 2)", tc.env, err)
		}
	}
}
