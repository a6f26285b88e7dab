package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestRenameUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		post := f.bpPost

		refused := []struct {
			name    string
			id      int64
			version int
			newName string
			code    string
			field   string
		}{
			{"stale version", post.ID, post.Version + 1, "Đồn Biên phòng Hoa Lư", phoihop.EConflict, ""},
			{"empty name", post.ID, post.Version, "  ", phoihop.EInvalid, "name"},
			{"name too long", post.ID, post.Version, strings.Repeat("đ", 201), phoihop.EInvalid, "name"},
			{"unknown unit", 9999, 1, "Đồn Biên phòng Hoa Lư", phoihop.ENotFound, ""},
		}
		for _, tt := range refused {
			_, err := s.RenameUnit(ctx, f.admin, store.Domains{All: true}, tt.id, tt.version, tt.newName)
			if phoihop.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err, tt.field) == "") {
				t.Errorf("%s: RenameUnit = %v, want %s on %q", tt.name, err, tt.code, tt.field)
			}
		}
		if got, _ := s.UnitByID(ctx, post.ID); got.Name != "Đồn Biên phòng cửa khẩu Hoa Lư" || got.Version != 1 {
			t.Fatalf("refused renames changed the unit: %+v", got)
		}
		if n := countAudit(t, s, "unit.rename"); n != 0 {
			t.Fatalf("%d unit.rename entries after refused renames", n)
		}

		got, err := s.RenameUnit(ctx, f.admin, store.Domains{All: true}, post.ID, post.Version, " Đồn Biên phòng Cửa khẩu Quốc tế Hoa Lư ")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Đồn Biên phòng Cửa khẩu Quốc tế Hoa Lư" || got.Version != 2 || got.Code != "BP-HOA-LU" ||
			got.UpdatedBy == nil || *got.UpdatedBy != f.adminID || !got.UpdatedAt.Equal(adminNow) {
			t.Fatalf("renamed unit = %+v", got)
		}
		if n := countRows(t, s, `SELECT count(*) FROM units WHERE id = ? AND name_search = ?`, post.ID,
			"don bien phong cua khau quoc te hoa lu"); n != 1 {
			t.Fatal("name_search was not updated")
		}
		e := lastAudit(t, s, "unit.rename")
		before, after := changesOf(t, e)
		if e.Domain != "BP" || e.Entity != "unit" || e.EntityID != strconvID(post.ID) ||
			before["name"] != "Đồn Biên phòng cửa khẩu Hoa Lư" || after["name"] != got.Name {
			t.Fatalf("unit.rename entry = %+v %s", e, e.Changes)
		}
	})
}

func TestMoveUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		// BP-BCH ─ BP-AN-PHU
		//        ─ BP-HOA-LU ─ BP-TEAM ─ BP-TEAM-1
		//        ─ BP-CU (retired)
		team := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpPost.ID, Code: "BP-TEAM", Name: "Tổ công tác", Kind: "team", ValidFrom: day(2010, 1, 1)})
		team1 := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &team.ID, Code: "BP-TEAM-1", Name: "Tổ 1", Kind: "team", ValidFrom: day(2010, 1, 1)})
		anPhu := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-AN-PHU", Name: "Đồn Biên phòng An Phú", Kind: "border_post", ValidFrom: day(2004, 1, 1)})

		refused := []struct {
			name    string
			unit    *phoihop.Unit
			version int
			parent  *int64
			code    string
		}{
			{"stale version", team, team.Version + 1, &anPhu.ID, phoihop.EConflict},
			{"under itself", team, team.Version, &team.ID, phoihop.EInvalid},
			{"under its child", team, team.Version, &team1.ID, phoihop.EInvalid},
			{"under its grandchild", f.bpPost, f.bpPost.Version, &team1.ID, phoihop.EInvalid},
			{"top unit under a descendant", f.bpHQ, f.bpHQ.Version, &team.ID, phoihop.EInvalid},
			{"under another agency", team, team.Version, &f.caHQ.ID, phoihop.EInvalid},
			{"under a retired unit", team, team.Version, &f.gone.ID, phoihop.EInvalid},
			{"under an unknown unit", team, team.Version, ptr(int64(9999)), phoihop.EInvalid},
			{"unknown unit", &phoihop.Unit{ID: 9999, Audit: phoihop.Audit{Version: 1}}, 1, nil, phoihop.ENotFound},
		}
		for _, tt := range refused {
			_, err := s.MoveUnit(ctx, f.admin, store.Domains{All: true}, tt.unit.ID, tt.version, tt.parent)
			if phoihop.ErrorCode(err) != tt.code || (tt.code == phoihop.EInvalid && fieldOf(err, "parent") == "") {
				t.Errorf("%s: MoveUnit = %v, want %s", tt.name, err, tt.code)
			}
		}
		tree := func() []string {
			nodes, err := s.UnitTree(ctx, "BP")
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, n := range nodes {
				lines = append(lines, strings.Repeat("  ", n.Depth)+n.Code)
			}
			return lines
		}
		want := []string{"BP-BCH", "  BP-AN-PHU", "  BP-HOA-LU", "    BP-TEAM", "      BP-TEAM-1", "  BP-CU"}
		if got := tree(); !slices.Equal(got, want) {
			t.Fatalf("refused moves changed the tree: %q, want %q", got, want)
		}
		if n := countAudit(t, s, "unit.move"); n != 0 {
			t.Fatalf("%d unit.move entries after refused moves", n)
		}

		got, err := s.MoveUnit(ctx, f.admin, store.Domains{All: true}, team.ID, team.Version, &anPhu.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ParentID == nil || *got.ParentID != anPhu.ID || got.Version != 2 {
			t.Fatalf("moved unit = %+v", got)
		}
		want = []string{"BP-BCH", "  BP-AN-PHU", "    BP-TEAM", "      BP-TEAM-1", "  BP-HOA-LU", "  BP-CU"}
		if got := tree(); !slices.Equal(got, want) {
			t.Fatalf("tree after the move = %q, want %q", got, want)
		}
		e := lastAudit(t, s, "unit.move")
		var ch struct {
			Before, After struct {
				phoihop.Unit
				ParentID *int64 `json:"parent_id"`
			}
		}
		if err := json.Unmarshal(e.Changes, &ch); err != nil {
			t.Fatalf("changes %s: %v", e.Changes, err)
		}
		if e.Domain != "BP" || e.EntityID != strconvID(team.ID) || ch.Before.Version != 1 || ch.After.Version != 2 ||
			ch.Before.ParentID == nil || *ch.Before.ParentID != f.bpPost.ID || ch.After.ParentID == nil || *ch.After.ParentID != anPhu.ID ||
			ch.After.Code != "BP-TEAM" {
			t.Fatalf("unit.move entry = %+v %s", e, e.Changes)
		}

		// The former parent may now go under the moved unit's old branch; nil makes a top unit.
		if _, err := s.MoveUnit(ctx, f.admin, store.Domains{All: true}, f.bpPost.ID, f.bpPost.Version, &team1.ID); err != nil {
			t.Fatalf("moving under a unit that is no longer a descendant: %v", err)
		}
		top, err := s.MoveUnit(ctx, f.admin, store.Domains{All: true}, team.ID, 2, nil)
		if err != nil || top.ParentID != nil || top.Version != 3 {
			t.Fatalf("moving to the top = %+v, %v", top, err)
		}
		want = []string{"BP-BCH", "  BP-AN-PHU", "  BP-CU", "BP-TEAM", "  BP-TEAM-1", "    BP-HOA-LU"}
		if got := tree(); !slices.Equal(got, want) {
			t.Fatalf("tree after moving to the top = %q, want %q", got, want)
		}
		if n := countAudit(t, s, "unit.move"); n != 3 {
			t.Fatalf("%d unit.move entries, want 3", n)
		}
	})
}
