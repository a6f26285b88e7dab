package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// gradeOf prints a tip's grade codes, "-" for none.
func gradeOf(t *phoihop.Tip) string {
	code := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return code(t.SourceReliability) + code(t.InformationValidity)
}

// TestTipGrade writes a tip graded on the 4×4 scale with a handling note, reads it back,
// grades an ungraded tip, regrades and ungrades it, and keeps every change in the audit log.
func TestTipGrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ca := scopeOf("CA")

		graded := newTip(u.caHQ, "Tin từ cộng tác viên")
		graded.SourceReliability, graded.InformationValidity = ptr(" b "), ptr("2 ")
		graded.HandlingNote = "  Bảo vệ nguồn tin: không chuyển cho đơn vị khác khi chưa có ý kiến lãnh đạo.\n  "
		u.mustTip(t, graded, ca)
		if gradeOf(graded) != "B2" || graded.Grade() != "B2" ||
			graded.HandlingNote != "Bảo vệ nguồn tin: không chuyển cho đơn vị khác khi chưa có ý kiến lãnh đạo." {
			t.Fatalf("created tip: grade %s (%q), note %q", gradeOf(graded), graded.Grade(), graded.HandlingNote)
		}
		d, err := s.TipByID(ctx, readScopeOf("CA"), graded.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gradeOf(&d.Tip) != "B2" || d.HandlingNote != graded.HandlingNote {
			t.Fatalf("TipByID: grade %s, note %q", gradeOf(&d.Tip), d.HandlingNote)
		}
		if n := countRows(t, s, `SELECT count(*) FROM tips WHERE id = ? AND source_reliability = 'B'
			AND information_validity = '2' AND handling_note = ?`, graded.ID, graded.HandlingNote); n != 1 {
			t.Fatal("the columns do not hold the grade B2 and the note")
		}
		_, after := changesOf(t, lastAudit(t, s, "tip.create"))
		if after["source_reliability"] != "B" || after["information_validity"] != "2" || after["handling_note"] != graded.HandlingNote {
			t.Fatalf("tip.create changes: %v", after)
		}

		// Officers often grade later: a tip without a grade has none, and no note.
		tip := u.mustTip(t, newTip(u.caHQ, "Tin chưa đánh giá"), ca)
		d, err = s.TipByID(ctx, ca, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.SourceReliability != nil || d.InformationValidity != nil || d.Grade() != "" || d.HandlingNote != "" {
			t.Fatalf("ungraded tip = %s %q %q", gradeOf(&d.Tip), d.Grade(), d.HandlingNote)
		}

		for i, step := range []struct {
			reliability, validity *string
			note, want            string
		}{
			{ptr("X"), ptr("4"), "", "X4"},
			{ptr("A"), ptr("1"), "Chỉ dùng trong nội bộ.", "A1"},
			{ptr(""), nil, "", "--"}, // an empty code is no grade
		} {
			tip.SourceReliability, tip.InformationValidity, tip.HandlingNote = step.reliability, step.validity, step.note
			if err := s.UpdateTip(ctx, u.actor, ca, tip); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
			d, err := s.TipByID(ctx, ca, tip.ID)
			if err != nil {
				t.Fatal(err)
			}
			if gradeOf(&d.Tip) != step.want || d.HandlingNote != step.note || d.Version != i+2 {
				t.Fatalf("step %d: grade %s note %q version %d, want %s %q %d", i+1, gradeOf(&d.Tip), d.HandlingNote,
					d.Version, step.want, step.note, i+2)
			}
		}
		before, after := changesOf(t, lastAudit(t, s, "tip.update"))
		if before["source_reliability"] != "A" || before["information_validity"] != "1" ||
			after["source_reliability"] != nil || after["information_validity"] != nil || after["handling_note"] != "" {
			t.Fatalf("ungrading changes: %v → %v", before, after)
		}
	})
}

// TestTipGradeRefused: a code off its scale, half a grade or a bad note is refused on its
// field, on create and on update, and nothing is written.
func TestTipGradeRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ca := scopeOf("CA")
		tip := newTip(u.caHQ, "Tin đã đánh giá")
		tip.SourceReliability, tip.InformationValidity, tip.HandlingNote = ptr("C"), ptr("3"), "Ghi chú"
		u.mustTip(t, tip, ca)
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)

		tests := []struct {
			name        string
			change      func(x *phoihop.Tip)
			field, want string
		}{
			{"source graded D", func(x *phoihop.Tip) { x.SourceReliability = ptr("D") }, "source_reliability",
				"Choose the reliability of the source: A, B, C or X."},
			{"source graded by a word", func(x *phoihop.Tip) { x.SourceReliability = ptr("reliable") }, "source_reliability",
				"Choose the reliability of the source: A, B, C or X."},
			{"information graded 5", func(x *phoihop.Tip) { x.InformationValidity = ptr("5") }, "information_validity",
				"Choose the validity of the information: 1, 2, 3 or 4."},
			{"information graded B", func(x *phoihop.Tip) { x.InformationValidity = ptr("B") }, "information_validity",
				"Choose the validity of the information: 1, 2, 3 or 4."},
			{"source only", func(x *phoihop.Tip) { x.InformationValidity = nil }, "information_validity",
				"Grade the information too: a graded tip has both codes (4 when it cannot be judged)."},
			{"information only", func(x *phoihop.Tip) { x.SourceReliability = ptr(" ") }, "source_reliability",
				"Grade the source too: a graded tip has both codes (X when it cannot be judged)."},
			{"note too long", func(x *phoihop.Tip) { x.HandlingNote = strings.Repeat("ư", 2001) }, "handling_note",
				"The text is too long."},
			{"note with a control character", func(x *phoihop.Tip) { x.HandlingNote = "Bảo vệ\x1b nguồn" }, "handling_note",
				"The text contains control characters; only tabs and line breaks are allowed."},
		}
		for _, tt := range tests {
			x := newTip(u.caHQ, "Tin mới")
			x.SourceReliability, x.InformationValidity = ptr("B"), ptr("2")
			tt.change(x)
			err := s.CreateTip(ctx, u.actor, ca, x)
			if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, tt.field) != tt.want {
				t.Errorf("%s: CreateTip = %v (%q on %s), want %q", tt.name, err, fieldOf(err, tt.field), tt.field, tt.want)
			}
			y := *tip
			tt.change(&y)
			err = s.UpdateTip(ctx, u.actor, ca, &y)
			if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, tt.field) != tt.want {
				t.Errorf("%s: UpdateTip = %v, want %q on %s", tt.name, err, tt.want, tt.field)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM tips`); n != 1 {
			t.Fatalf("%d tips after refused creates, want 1", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Fatalf("%d audit entries after refused writes, want %d", n, audits)
		}
		d, err := s.TipByID(ctx, ca, tip.ID)
		if err != nil || gradeOf(&d.Tip) != "C3" || d.HandlingNote != "Ghi chú" || d.Version != 1 {
			t.Fatalf("tip after refused updates = %+v, %v", d, err)
		}
	})
}

// TestListTipsByGrade filters the list by the source's grade, and by its absence.
func TestListTipsByGrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ca := scopeOf("CA")
		mk := func(subject string, grade ...string) *phoihop.Tip {
			x := newTip(u.caHQ, subject)
			if len(grade) == 2 {
				x.SourceReliability, x.InformationValidity = &grade[0], &grade[1]
			}
			return u.mustTip(t, x, ca)
		}
		b2, b3, x4, none := mk("B2", "B", "2"), mk("B3", "B", "3"), mk("X4", "X", "4"), mk("Chưa đánh giá")
		for _, tt := range []struct {
			reliability string
			want        []int64
		}{
			{"", []int64{none.ID, x4.ID, b3.ID, b2.ID}},
			{"B", []int64{b3.ID, b2.ID}},
			{"x", []int64{x4.ID}},
			{"A", []int64{}},
			{store.TipNotGraded, []int64{none.ID}},
			{"NONE", []int64{none.ID}},
		} {
			items, total, err := s.ListTips(ctx, ca, store.TipFilter{SourceReliability: tt.reliability})
			if err != nil {
				t.Fatalf("%q: %v", tt.reliability, err)
			}
			got := []int64{}
			for _, it := range items {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("source_reliability %q: ids %v total %d, want %v", tt.reliability, got, total, tt.want)
			}
			for _, it := range items {
				if it.ID == b3.ID && it.Grade() != "B3" {
					t.Errorf("list item B3 has the grade %q", it.Grade())
				}
			}
		}
		if _, _, err := s.ListTips(ctx, ca, store.TipFilter{SourceReliability: "D"}); phoihop.ErrorCode(err) != phoihop.EInvalid ||
			fieldOf(err, "source_reliability") == "" {
			t.Errorf("ListTips(source_reliability D) = %v, want invalid source_reliability", err)
		}
	})
}

// TestExportTipGrades: the tips of the workbook carry their grade and handling note, empty
// for a tip not graded.
func TestExportTipGrades(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		newExportData(t, s)
		storetest.MustExec(t, s, `UPDATE tips SET source_reliability = 'B', information_validity = '2',
			handling_note = 'Bảo vệ nguồn tin' WHERE received_on = ? AND agency = 'CA'`, summaryFrom)
		all := store.Export{Store: s, Filter: store.SummaryFilter{From: summaryFrom, To: summaryTo}, Scope: allScope}
		sameLines(t, "tips", exportLines(t, all.Tips, func(r *store.TipRow) string {
			return r.ReceivedOn.String() + " " + r.Agency.Code + " [" + r.SourceReliability + "|" + r.InformationValidity +
				"|" + r.HandlingNote + "]"
		}), []string{
			"2015-01-10 BP [||]",
			"2015-03-01 CA [B|2|Bảo vệ nguồn tin]",
			"2015-05-05 HQ [||]",
			"2015-05-05 CA [||]",
			"2016-01-01 CA [||]",
			"2016-06-30 BP [||]",
		})
	})
}

// TestMigrateTipGradingKeepsTips: the tips recorded before grading existed come through the
// migration ungraded, with an empty note, and can be graded afterwards.
func TestMigrateTipGradingKeepsTips(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, engine)
			// Down to the schema before 00006_tip_grading.
			if err := s.MigrateDownTo(ctx, 5); err != nil {
				t.Fatalf("down: %v", err)
			}
			if err := storetest.Exec(s, `SELECT source_reliability FROM tips`); err == nil {
				t.Fatal("tips.source_reliability is still there after down")
			}
			f := newFixture(t, s)
			mustRun(t, s, f.tips(nil))
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("up: %v", err)
			}
			sc := store.Scope{Read: []string{"CA"}, Write: []string{"CA"}}
			items, _, err := s.ListTips(ctx, sc, store.TipFilter{})
			if err != nil || len(items) != 1 {
				t.Fatalf("tips after up = %+v, %v", items, err)
			}
			tip := items[0].Tip
			if tip.SourceReliability != nil || tip.InformationValidity != nil || tip.HandlingNote != "" {
				t.Fatalf("the old tip came through as %s %q", gradeOf(&tip), tip.HandlingNote)
			}
			tip.SourceReliability, tip.InformationValidity = ptr("C"), ptr("4")
			if err := s.UpdateTip(ctx, phoihop.SystemActor("test"), sc, &tip); err != nil {
				t.Fatalf("grading the old tip: %v", err)
			}
			if d, err := s.TipByID(ctx, sc, tip.ID); err != nil || d.Grade() != "C4" {
				t.Fatalf("the old tip graded = %+v, %v", d, err)
			}
		})
	}
}

// TestBulkTipsKeepGrades: tips written in bulk (the generated province) keep their grade and
// handling note, and a bad code fails the batch naming the field.
func TestBulkTipsKeepGrades(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		b, err := s.NewBulk(ctx, phoihop.SystemActor("demo"))
		if err != nil {
			t.Fatal(err)
		}
		tips := []*phoihop.Tip{
			{ReceivedOn: day(2016, 2, 1), SourceUnitID: u.CA2.ID, Subject: "Tin báo", CrimeType: "drugs",
				SourceReliability: ptr("a"), InformationValidity: ptr("3"), HandlingNote: "Bảo vệ nguồn tin"},
			{ReceivedOn: day(2016, 2, 2), SourceUnitID: u.HQ.ID, Subject: "Tin báo 2", CrimeType: "smuggling"},
		}
		if err := b.Tips(ctx, tips); err != nil {
			t.Fatal(err)
		}
		items, _, err := s.ListTips(ctx, allScope, store.TipFilter{Sort: "received_on asc"})
		if err != nil || len(items) != 2 {
			t.Fatalf("bulk tips = %+v, %v", items, err)
		}
		if gradeOf(&items[0].Tip) != "A3" || items[0].HandlingNote != "Bảo vệ nguồn tin" ||
			gradeOf(&items[1].Tip) != "--" || items[1].HandlingNote != "" {
			t.Errorf("bulk tips: %s %q, %s %q", gradeOf(&items[0].Tip), items[0].HandlingNote,
				gradeOf(&items[1].Tip), items[1].HandlingNote)
		}
		bad := []*phoihop.Tip{{ReceivedOn: day(2016, 2, 3), SourceUnitID: u.CA2.ID, Subject: "Tin báo 3", CrimeType: "drugs",
			SourceReliability: ptr("B"), InformationValidity: ptr("7")}}
		if err := b.Tips(ctx, bad); phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, "information_validity") == "" {
			t.Errorf("a bulk tip graded B7 = %v, want invalid information_validity", err)
		}
		if n := countRows(t, s, `SELECT count(*) FROM tips`); n != 2 {
			t.Errorf("%d tips after the refused batch, want 2", n)
		}
	})
}
