package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/mail"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// invitations returns the join_case requests of the case, oldest first, as customs' and
// everyone's scope sees them.
func invitations(t *testing.T, s *store.Store, caseID int64) []store.RequestListItem {
	t.Helper()
	items, _, err := s.ListRequests(context.Background(), allScope, store.RequestFilter{Kind: phoihop.RequestJoinCase, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	items = slices.DeleteFunc(items, func(r store.RequestListItem) bool { return r.CaseID == nil || *r.CaseID != caseID })
	slices.Reverse(items)
	return items
}

// TestJoinCaseByInvitation checks that an agency the saver does not manage is invited, not
// added: it takes part (reads the case, records arrests in it) only once it accepts; a decline
// leaves it out; leaving an invited agency out of the case withdraws the invitation; and a
// form opened before an agency joined cannot save over it.
func TestJoinCaseByInvitation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		c := newCase("BP-2016-05", f.u.BP2, "CA", "HQ")
		if err := s.CreateCase(ctx, f.bpOff, f.bp, c); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.Agencies, []string{"BP"}) || !slices.Equal(c.Invited, []string{"CA", "HQ"}) {
			t.Fatalf("created case: agencies %q, invited %q", c.Agencies, c.Invited)
		}
		inv := invitations(t, s, c.ID)
		if len(inv) != 2 || inv[0].ToAgency != "CA" || inv[1].ToAgency != "HQ" || inv[0].FromUnitID != f.u.BP2.ID ||
			inv[0].State != phoihop.RequestSent {
			t.Fatalf("invitations = %+v", inv)
		}
		if inv[0].SentOn != day(2016, 5, 20) || inv[0].DueOn != day(2016, 5, 27) || inv[0].Subject != "BP-2016-05 — Chuyên án BP-2016-05" {
			t.Fatalf("invitation = %+v", inv[0].Request)
		}
		// Invited is not taking part.
		_, err := s.CaseByID(ctx, f.ca, c.ID)
		wantErr(t, "the invited police read the case", err, phoihop.ENotFound, "")
		sp := newSuspect(c.ID, f.u.CA2, day(2016, 5, 18))
		if err := s.CreateSuspect(ctx, f.caOff, f.ca, sp); err == nil {
			t.Fatal("the invited police recorded an arrest in the case")
		}

		// The police accept: they take part; the case's version rises; the invitation is answered.
		acc := acceptInvitation(t, s, c.ID, "CA")
		if acc.State != phoihop.RequestAnswered || acc.AnsweredOn != day(2016, 5, 20) || acc.ResultCase == nil || *acc.ResultCase != c.ID {
			t.Fatalf("accepted invitation = %+v", acc)
		}
		got, err := s.CaseByID(ctx, f.ca, c.ID)
		if err != nil || !slices.Equal(got.Agencies, []string{"CA", "BP"}) || !slices.Equal(got.Invited, []string{"HQ"}) || got.Version != 2 {
			t.Fatalf("after the police accepted: %+v, %v", got, err)
		}
		if err := s.CreateSuspect(ctx, f.caOff, f.ca, sp); err != nil {
			t.Fatalf("the police, now taking part, record an arrest: %v", err)
		}
		if e := lastAudit(t, s, "case.join"); e.Domain != "CA" || e.EntityID != strconvID(c.ID) {
			t.Fatalf("join audit = %+v", e)
		}
		// A form opened before the police joined is stale.
		stale := *c
		wantErr(t, "save a form opened before the join", s.UpdateCase(ctx, f.bpOff, f.bp, &stale), phoihop.EConflict, "")

		// Customs decline: they stay out, and no invitation is open.
		hq := inv[1]
		if _, err := s.MoveRequest(ctx, phoihop.Actor{Username: "hq"}, f.hq, hq.ID,
			store.RequestMove{Action: "decline", Version: hq.Version, Reason: "Không thuộc phạm vi."}); err != nil {
			t.Fatal(err)
		}
		got = mustCaseByID(t, s, c.ID)
		if !slices.Equal(got.Agencies, []string{"CA", "BP"}) || len(got.Invited) != 0 {
			t.Fatalf("after customs declined: %q, invited %q", got.Agencies, got.Invited)
		}

		// Asking again invites customs again; saving once more sends no second invitation;
		// leaving them out withdraws it; the police, taking part, stay.
		edit := got.Case
		edit.Agencies = []string{"BP", "CA", "HQ"}
		// (read and saved back, a case keeps its invitations: see again below)
		if err := s.UpdateCase(ctx, f.bpOff, f.bp, &edit); err != nil {
			t.Fatal(err)
		}
		again := edit
		if err := s.UpdateCase(ctx, f.bpOff, f.bp, &again); err != nil {
			t.Fatal(err)
		}
		if inv = invitations(t, s, c.ID); len(inv) != 3 || inv[2].ToAgency != "HQ" || inv[2].State != phoihop.RequestSent ||
			!slices.Equal(again.Invited, []string{"HQ"}) {
			t.Fatalf("invitations after asking customs again = %+v", inv)
		}
		out := again
		out.Agencies, out.Invited = []string{"BP"}, nil
		err = s.UpdateCase(ctx, f.bpOff, f.bp, &out)
		wantErr(t, "drop the police, who recorded an arrest", err, phoihop.EInvalid, "agencies")
		out = again
		out.Agencies, out.Invited = []string{"BP", "CA"}, nil
		if err := s.UpdateCase(ctx, f.bpOff, f.bp, &out); err != nil {
			t.Fatal(err)
		}
		if inv = invitations(t, s, c.ID); inv[2].State != phoihop.RequestWithdrawn || len(out.Invited) != 0 ||
			!slices.Equal(out.Agencies, []string{"CA", "BP"}) {
			t.Fatalf("after leaving customs out: %+v, case %+v", inv[2].Request, out)
		}

		// An invitation to a case removed meanwhile cannot be accepted.
		gone := newCase("BP-2016-06", f.u.BP2, "CA")
		if err := s.CreateCase(ctx, f.bpOff, f.bp, gone); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveCase(ctx, f.bpOff, f.bp, gone.ID, gone.Version, "Nhập nhầm"); err != nil {
			t.Fatal(err)
		}
		open := invitations(t, s, gone.ID)[0]
		_, err = s.MoveRequest(ctx, f.caOff, f.ca, open.ID, store.RequestMove{Action: "accept", Version: open.Version})
		wantErr(t, "accept to join a removed case", err, phoihop.EConflict, "")
	})
}

// TestVerifyTipAnswerRecordsVerification checks that answering a request to verify a tip sets
// the tip's verification: its status, its day, the case it led to, audited as the answer.
func TestVerifyTipAnswerRecordsVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		r := f.move(t, f.send(t, f.request("Xác minh tin")), store.RequestMove{Action: "accept"})
		m := store.RequestMove{Action: "answer", Version: r.Version, Result: "Tin đúng.", AnsweredOn: f.answered}
		_, err := s.MoveRequest(ctx, f.caOff, f.ca, r.ID, m)
		wantErr(t, "answer without the verification's result", err, phoihop.EInvalid, "tip_status")
		m.TipStatus, m.CaseID = phoihop.TipValuable, &f.caseCA
		if _, err := s.MoveRequest(ctx, f.caOff, f.ca, r.ID, m); err != nil {
			t.Fatal(err)
		}
		tip, err := s.TipByID(ctx, f.bp, f.tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tip.Status != phoihop.TipValuable || tip.VerifiedOn != f.answered || tip.CaseID == nil || *tip.CaseID != f.caseCA ||
			tip.Version != 2 || tip.UpdatedBy != nil && *tip.UpdatedBy != 0 {
			t.Fatalf("the verified tip = %+v", tip.Tip)
		}
		if e := lastAudit(t, s, "tip.verify"); e.Domain != "BP" || e.Username != "can.bo.ca" || e.EntityID != strconvID(f.tip.ID) {
			t.Fatalf("verification audit = %+v", e)
		}
		// A second request finds the tip not valuable: the case it led to stays, so it is refused.
		r2 := f.move(t, f.send(t, f.request("Xác minh lại")), store.RequestMove{Action: "accept"})
		_, err = s.MoveRequest(ctx, f.caOff, f.ca, r2.ID, store.RequestMove{Action: "answer", Version: r2.Version,
			Result: "Tin sai.", AnsweredOn: f.answered, TipStatus: phoihop.TipNotValuable})
		wantErr(t, "not valuable while the tip led to a case", err, phoihop.EInvalid, "result_case_id")
		if now, _ := s.TipByID(ctx, f.bp, f.tip.ID); now.Status != phoihop.TipValuable || now.Version != 2 {
			t.Fatalf("the refused answer changed the tip: %+v", now.Tip)
		}
		if d, _ := s.RequestByID(ctx, f.ca, r2.ID); d.State != phoihop.RequestAccepted {
			t.Fatalf("the refused answer moved the request to %s", d.State)
		}
	})
}

// TestInbox checks what waits in the inbox of officers of each side: the requests to their
// unit or agency, overdue ones first, the answers to what their unit asked, declines until
// read, the unread count and the read marks.
func TestInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		send := func(subject string, edit func(r *phoihop.Request)) *phoihop.Request {
			r := f.request(subject)
			edit(r)
			return f.send(t, r)
		}
		plain := send("Gửi công an", func(*phoihop.Request) {})
		urgent := send("Khẩn, gửi Lộc Ninh", func(r *phoihop.Request) { r.ToUnitID, r.Priority = &f.u.CA2.ID, "urgent" })
		late := send("Quá hạn", func(r *phoihop.Request) { r.DueOn = f.overdue })
		other := send("Gửi công an tỉnh", func(r *phoihop.Request) { r.ToUnitID = &f.u.CA.ID })
		loc := store.InboxOwner{UserID: mustAccount(t, s, "ca.locninh", &f.u.CA2.ID), UnitID: &f.u.CA2.ID}
		chief := store.InboxOwner{UserID: mustAccount(t, s, "ca.chief", nil)}
		post := store.InboxOwner{UserID: mustAccount(t, s, "bp.hoalu", &f.u.BP2.ID), UnitID: &f.u.BP2.ID}
		command := store.InboxOwner{UserID: mustAccount(t, s, "bp.command", &f.u.BP.ID), UnitID: &f.u.BP.ID}
		inbox := func(sc store.Scope, o store.InboxOwner) (subjects []string, boxes []string, unread int) {
			t.Helper()
			items, err := s.Inbox(ctx, sc, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				subjects, boxes = append(subjects, it.Subject), append(boxes, it.Box)
			}
			if unread, err = s.UnreadCount(ctx, sc, o); err != nil {
				t.Fatal(err)
			}
			return subjects, boxes, unread
		}
		if got, boxes, n := inbox(f.ca, loc); !slices.Equal(got, []string{"Quá hạn", "Khẩn, gửi Lộc Ninh", "Gửi công an"}) ||
			boxes[0] != store.BoxToAccept || n != 3 {
			t.Fatalf("Lộc Ninh's inbox = %q %q, %d unread", got, boxes, n)
		}
		if got, _, n := inbox(f.ca, chief); len(got) != 4 || got[3] != other.Subject || n != 4 {
			t.Fatalf("the police chief's inbox = %q, %d unread", got, n)
		}
		if got, _, n := inbox(f.hq, store.InboxOwner{UserID: chief.UserID}); len(got) != 0 || n != 0 {
			t.Fatalf("customs' inbox = %q, %d", got, n)
		}
		if err := s.MarkRequestRead(ctx, f.ca, loc.UserID, plain.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkRequestRead(ctx, f.hq, loc.UserID, late.ID); phoihop.ErrorCode(err) != "" {
			t.Fatalf("mark read out of scope = %v", err)
		}
		if _, _, n := inbox(f.ca, loc); n != 2 {
			t.Fatalf("after reading one: %d unread, want 2", n)
		}
		// The police accept and answer the urgent one: it leaves their inbox and waits, unread, as
		// an answer at the border post that asked, not at the command.
		a := f.move(t, f.move(t, urgent, store.RequestMove{Action: "accept"}), f.moveArgs("answer"))
		if got, _, _ := inbox(f.ca, loc); slices.Contains(got, urgent.Subject) {
			t.Fatalf("the answered request is still in Lộc Ninh's inbox: %q", got)
		}
		got, boxes, n := inbox(f.bp, post)
		if !slices.Equal(got, []string{urgent.Subject}) || boxes[0] != store.BoxAnswered || n != 1 {
			t.Fatalf("the border post's inbox = %q %q, %d", got, boxes, n)
		}
		if got, _, _ := inbox(f.bp, command); len(got) != 0 {
			t.Fatalf("the command's inbox = %q", got)
		}
		// Read, the answer stays until the post closes it.
		if err := s.MarkInboxRead(ctx, f.bp, post); err != nil {
			t.Fatal(err)
		}
		if got, _, n := inbox(f.bp, post); len(got) != 1 || n != 0 {
			t.Fatalf("after marking all read: %q, %d unread", got, n)
		}
		f.move(t, a, store.RequestMove{Action: "close"})
		// A decline shows until read.
		f.move(t, plain, f.moveArgs("decline"))
		if got, boxes, n := inbox(f.bp, post); !slices.Equal(got, []string{plain.Subject}) || boxes[0] != store.BoxDeclined || n != 1 {
			t.Fatalf("after the decline: %q %q, %d", got, boxes, n)
		}
		if err := s.MarkRequestRead(ctx, f.bp, post.UserID, plain.ID); err != nil {
			t.Fatal(err)
		}
		if got, _, n := inbox(f.bp, post); len(got) != 0 || n != 0 {
			t.Fatalf("after reading the decline: %q, %d", got, n)
		}
	})
}

// mustAccount creates an active account in the unit and returns its id.
func mustAccount(t *testing.T, s *store.Store, username string, unit *int64) int64 {
	t.Helper()
	u := &phoihop.User{Username: username, FullName: "Cán bộ " + username, UnitID: unit}
	if err := s.CreateUser(context.Background(), recordActor, allAccounts, u, testHash); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestRequestMails checks who is mailed about each step: the accounts of the receiving unit
// (or of the agency's top units) about a request sent to them, those of the sending unit about
// the answer, no one about a close, and only active accounts with an address.
func TestRequestMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		s.SendsMail = true
		s.RequestMail = func(n store.RequestNotice) mail.Message {
			return mail.Message{To: n.To, Subject: n.Action + ": " + n.Request.Subject, Body: n.Note}
		}
		account := func(name string, unit *int64, email string, status string) {
			u := &phoihop.User{Username: name, FullName: "Cán bộ " + name, UnitID: unit, Status: status}
			if email != "" {
				u.Email = &email
			}
			if err := s.CreateUser(ctx, recordActor, allAccounts, u, testHash); err != nil {
				t.Fatal(err)
			}
		}
		account("ca.tinh", &f.u.CA.ID, "tinh@ca.vn", "")
		account("ca.ln", &f.u.CA2.ID, "locninh@ca.vn", "")
		account("ca.ln2", &f.u.CA2.ID, "", "")
		account("ca.ln3", &f.u.CA2.ID, "cu@ca.vn", phoihop.UserDisabled)
		account("bp.hl", &f.u.BP2.ID, "hoalu@bp.vn", "")
		account("bp.bch", &f.u.BP.ID, "bch@bp.vn", "")
		seen := 0
		mails := func() []string {
			t.Helper()
			jobs, err := s.Jobs(ctx, mail.Kind, 100)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, j := range jobs[seen:] {
				var m mail.Message
				if err := json.Unmarshal(j.Payload, &m); err != nil {
					t.Fatal(err)
				}
				out = append(out, m.Subject+" → "+m.To[strings.Index(m.To, "<")+1:len(m.To)-1])
			}
			seen = len(jobs)
			return out
		}
		toAgency := f.send(t, f.request("Tin A"))
		if got := mails(); !slices.Equal(got, []string{"send: Tin A → tinh@ca.vn"}) {
			t.Fatalf("mails of a request to the police = %q", got)
		}
		r := f.request("Tin B")
		r.ToUnitID = &f.u.CA2.ID
		toUnit := f.send(t, r)
		if got := mails(); !slices.Equal(got, []string{"send: Tin B → locninh@ca.vn"}) {
			t.Fatalf("mails of a request to Lộc Ninh = %q", got)
		}
		f.move(t, toAgency, f.moveArgs("decline"))
		if got := mails(); !slices.Equal(got, []string{"decline: Tin A → hoalu@bp.vn"}) {
			t.Fatalf("mails of a decline = %q", got)
		}
		done := f.move(t, f.move(t, toUnit, store.RequestMove{Action: "accept"}), f.moveArgs("answer"))
		if got := mails(); !slices.Equal(got, []string{"accept: Tin B → hoalu@bp.vn", "answer: Tin B → hoalu@bp.vn"}) {
			t.Fatalf("mails of an accept and an answer = %q", got)
		}
		f.move(t, done, store.RequestMove{Action: "close"})
		if got := mails(); len(got) != 0 {
			t.Fatalf("mails of a close = %q", got)
		}
		s.SendsMail = false
		f.send(t, f.request("Tin C"))
		if got := mails(); len(got) != 0 {
			t.Fatalf("mails while mail is off = %q", got)
		}
	})
}
