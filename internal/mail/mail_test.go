package mail_test

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	phmail "phoihop/internal/mail"
	"phoihop/internal/mail/mailtest"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// notice is a mail as the requests between agencies send them.
var notice = phmail.Message{
	To:      "Trần Văn Hải <tv.hai@bienphong.example.vn>",
	Subject: "Đề nghị phối hợp xác minh tin số 12/2016 — Đồn Biên phòng cửa khẩu Hoa Lư",
	Body: "Kính gửi đồng chí Trần Văn Hải,\n\nCông an huyện Lộc Ninh đề nghị Đồn Biên phòng phối hợp xác minh " +
		"tin về đối tượng vận chuyển 3.973 viên ma túy tổng hợp qua khu vực biên giới.\n\nHạn trả lời: 15/05/2016.\n",
}

func TestMessageValidate(t *testing.T) {
	if err := notice.Validate(); err != nil {
		t.Fatalf("Validate(notice): %v", err)
	}
	long := strings.Repeat("a", 250) + "@example.vn"
	for _, tc := range []struct {
		name string
		m    phmail.Message
		want string
	}{
		{"no address", phmail.Message{To: "", Subject: "s"}, "recipient"},
		{"not an address", phmail.Message{To: "trần văn hải", Subject: "s"}, "not an e-mail address"},
		{"two addresses", phmail.Message{To: "a@example.vn, b@example.vn", Subject: "s"}, "not an e-mail address"},
		{"address too long", phmail.Message{To: long, Subject: "s"}, "more than 254"},
		{"empty subject", phmail.Message{To: "a@example.vn", Subject: " "}, "subject"},
		{"subject of two lines", phmail.Message{To: "a@example.vn", Subject: "a\r\nBcc: x@example.vn"}, "one line"},
		{"body too long", phmail.Message{To: "a@example.vn", Subject: "s", Body: strings.Repeat("ă", 100_001)}, "at most 100000"},
	} {
		err := tc.m.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate = %v, want an error about %q", tc.name, err, tc.want)
		}
	}
}

// beginTx opens a transaction as store methods do, for enqueueing inside one.
func beginTx(t *testing.T, st *store.Store) *sqlx.Tx {
	t.Helper()
	tx, err := sqlx.NewDb(st.DB(), st.DriverName()).BeginTxx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// enqueueMail enqueues m as a store write does, inside a transaction that commits.
func enqueueMail(t *testing.T, st *store.Store, m phmail.Message) int64 {
	t.Helper()
	tx := beginTx(t, st)
	defer tx.Rollback()
	queued, err := st.EnqueueMailTx(context.Background(), tx, m)
	if err != nil || !queued {
		t.Fatalf("EnqueueMailTx = %v, %v; want queued", queued, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	all, err := st.Jobs(context.Background(), phmail.Kind, 100)
	if err != nil || len(all) == 0 {
		t.Fatalf("Jobs(mail) = %v, %v", all, err)
	}
	return all[len(all)-1].ID
}

func TestEnqueueMailOnlyWhenMailIsOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		tx := beginTx(t, st)
		defer tx.Rollback()
		if queued, err := st.EnqueueMailTx(ctx, tx, notice); err != nil || queued {
			t.Fatalf("without a mail server EnqueueMailTx = %v, %v; want nothing queued", queued, err)
		}
		st.SendsMail = true
		if queued, err := st.EnqueueMailTx(ctx, tx, phmail.Message{Subject: "s", Body: "b"}); err != nil || queued {
			t.Fatalf("to an account without an address EnqueueMailTx = %v, %v; want nothing queued", queued, err)
		}
		if queued, err := st.EnqueueMailTx(ctx, tx, phmail.Message{To: "not an address", Subject: "s"}); err == nil || queued {
			t.Fatalf("an invalid mail: EnqueueMailTx = %v, %v; want an error", queued, err)
		}
		if queued, err := st.EnqueueMailTx(ctx, tx, notice); err != nil || !queued {
			t.Fatalf("EnqueueMailTx = %v, %v; want queued", queued, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		all, err := st.Jobs(ctx, phmail.Kind, 10)
		if err != nil || len(all) != 1 {
			t.Fatalf("mail jobs = %v, %v; want one", all, err)
		}
	})
}

// startMailQueue runs the mail jobs of st through the SMTP server on the port (plain SMTP on
// loopback); the queue is stopped when the test ends.
func startMailQueue(t *testing.T, st *store.Store, port int) *jobs.Queue {
	t.Helper()
	server, err := config.ParseSMTPURL(mailtest.URL(port))
	if err != nil {
		t.Fatal(err)
	}
	from, err := config.ParseMailFrom("Phối hợp Bình Phước <phoihop@example.vn>")
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.NewQueue(st.DB(), st.Engine(), jobs.Config{PollInterval: 50 * time.Millisecond,
		Backoff: jobs.Backoff{Base: 300 * time.Millisecond, Max: time.Second}})
	if err := phmail.Register(q, phmail.NewSender(server, from)); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopQueue(q) })
	return q
}

func stopQueue(q *jobs.Queue) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q.Stop(ctx)
}

// waitJob waits until the job is in the state.
func waitJob(t *testing.T, st *store.Store, id int64, state string, timeout time.Duration) *jobs.Info {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		in, err := st.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if in.State == state {
			return in
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail job %d is %s at attempt %d (errors %q) after %v, want %s", id, in.State, in.Attempt, in.Errors, timeout, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkNotice checks that the server received the notice exactly as it was written.
func checkNotice(t *testing.T, got []mailtest.Message) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
	r := got[0]
	if !slices.Equal(r.RcptTos, []string{"tv.hai@bienphong.example.vn"}) || r.MailFrom != "phoihop@example.vn" {
		t.Fatalf("envelope from %q to %q, want from phoihop@example.vn to tv.hai@bienphong.example.vn", r.MailFrom, r.RcptTos)
	}
	to, err := r.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Trần Văn Hải" || to[0].Address != "tv.hai@bienphong.example.vn" {
		t.Fatalf("To = %v (%v), want Trần Văn Hải <tv.hai@bienphong.example.vn>", to, err)
	}
	from, err := r.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Phối hợp Bình Phước" || from[0].Address != "phoihop@example.vn" {
		t.Fatalf("From = %v (%v), want Phối hợp Bình Phước <phoihop@example.vn>", from, err)
	}
	if r.Subject != notice.Subject {
		t.Fatalf("Subject = %q, want %q", r.Subject, notice.Subject)
	}
	if strings.TrimRight(r.Body, "\n") != strings.TrimRight(notice.Body, "\n") {
		t.Fatalf("body = %q, want %q", r.Body, notice.Body)
	}
	if r.Header.Get("Message-Id") == "" || r.Header.Get("Date") == "" {
		t.Fatalf("the message has no Message-ID or Date: %v", r.Header)
	}
	if _, err := mail.ParseDate(r.Header.Get("Date")); err != nil {
		t.Fatalf("Date %q: %v", r.Header.Get("Date"), err)
	}
}

func TestMailSentThroughTheQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := mailtest.Start(t, 0)
		st.SendsMail = true
		startMailQueue(t, st, srv.Port)
		id := enqueueMail(t, st, notice)
		in := waitJob(t, st, id, jobs.StateDone, 15*time.Second)
		if in.Attempt != 1 {
			t.Fatalf("sent at attempt %d, want 1", in.Attempt)
		}
		time.Sleep(300 * time.Millisecond)
		checkNotice(t, srv.Received())
	})
}

func TestMailSurvivesRestart(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			mailtest.Require(t)
			url := storetest.URL(t, engine)
			port := mailtest.FreePort(t) // no server there yet: sending fails and is retried

			first := openStore(t, url)
			first.SendsMail = true
			q := startMailQueue(t, first, port)
			id := enqueueMail(t, first, notice)
			deadline := time.Now().Add(15 * time.Second)
			for {
				in, err := first.Job(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if in.State == jobs.StateRetrying {
					if len(in.Errors) == 0 || !strings.Contains(in.Errors[0], "127.0.0.1") {
						t.Fatalf("errors kept = %q, want the failed connection", in.Errors)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the mail job is %s (errors %q), want retrying while the server is down", in.State, in.Errors)
				}
				time.Sleep(20 * time.Millisecond)
			}
			stopQueue(q)
			first.Close()

			// A new instance, with the mail server up: the mail arrives, once.
			srv := mailtest.Start(t, port)
			second := openStore(t, url)
			second.SendsMail = true
			startMailQueue(t, second, port)
			in := waitJob(t, second, id, jobs.StateDone, 15*time.Second)
			if in.Attempt < 2 || len(in.Errors) != in.Attempt-1 {
				t.Fatalf("sent at attempt %d after errors %q, want a later attempt after the failed ones", in.Attempt, in.Errors)
			}
			time.Sleep(500 * time.Millisecond)
			checkNotice(t, srv.Received())
		})
	}
}

// openStore opens the database of url, migrated, closed when the test ends.
func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMailRefusedForGoodFailsAtOnce(t *testing.T) {
	srv := mailtest.Start(t, 0)
	st := storetest.Open(t, config.SQLite)
	st.SendsMail = true
	startMailQueue(t, st, srv.Port)
	refused := enqueueMail(t, st, phmail.Message{To: "khong.ton.tai@reject.invalid", Subject: "Thử", Body: "x"})
	in := waitJob(t, st, refused, jobs.StateFailed, 15*time.Second)
	if in.Attempt != 1 || len(in.Errors) != 1 || !strings.Contains(in.Errors[0], "550") {
		t.Fatalf("refused mail = attempt %d, errors %q; want failed at once with the server's 550", in.Attempt, in.Errors)
	}

	// A bad payload (written by hand, not by EnqueueMailTx) fails at once, without a connection.
	bad, err := st.Enqueue(context.Background(), phmail.Kind, phmail.Message{To: "không phải địa chỉ", Subject: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in = waitJob(t, st, bad.ID, jobs.StateFailed, 15*time.Second)
	if in.Attempt != 1 || len(in.Errors) != 1 || !strings.Contains(in.Errors[0], "not an e-mail address") {
		t.Fatalf("invalid mail = attempt %d, errors %q; want failed at once", in.Attempt, in.Errors)
	}
	if got := srv.Received(); len(got) != 0 {
		t.Fatalf("the server received %d messages, want none", len(got))
	}
}

func TestMailRefusedForNowIsRetried(t *testing.T) {
	srv := mailtest.Start(t, 0)
	st := storetest.Open(t, config.SQLite)
	st.SendsMail = true
	startMailQueue(t, st, srv.Port)
	id, err := st.Enqueue(context.Background(), phmail.Kind, phmail.Message{To: "ban.bien@later.invalid", Subject: "Thử", Body: "x"},
		&jobs.EnqueueOpts{MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	in := waitJob(t, st, id.ID, jobs.StateFailed, 15*time.Second)
	if in.Attempt != 2 || len(in.Errors) != 2 || !strings.Contains(in.Errors[1], "451") {
		t.Fatalf("mail refused for now = attempt %d, errors %q; want retried up to its 2 attempts with the server's 451", in.Attempt, in.Errors)
	}
}
