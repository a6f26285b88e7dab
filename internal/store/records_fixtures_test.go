package store_test

import (
	"context"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Fixtures shared by the record tests (agreements, cases, suspects, seizures, exchanges, tips).

// recordUnits are the units the record tests use: two police (CA) and two border guard (BP)
// units, one coast guard (CSB) and one customs (HQ) unit, all in service since 2004, and a
// border post (BP) retired at the end of 2015.
type recordUnits struct {
	CA, CA2, BP, BP2, CSB, HQ, BPRetired *phoihop.Unit
}

// newRecordUnits creates the units of recordUnits.
func newRecordUnits(t *testing.T, s *store.Store) recordUnits {
	t.Helper()
	from := day(2004, 1, 1)
	u := recordUnits{
		CA:  mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh Bình Phước", Kind: "headquarters", ValidFrom: from}),
		BP:  mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy BĐBP tỉnh", Kind: "headquarters", ValidFrom: from}),
		CSB: mustUnit(t, s, &phoihop.Unit{Agency: "CSB", Code: "CSB-HD", Name: "Hải đội Cảnh sát biển 1", Kind: "flotilla", ValidFrom: from}),
		HQ:  mustUnit(t, s, &phoihop.Unit{Agency: "HQ", Code: "HQ-HOA-LU", Name: "Chi cục Hải quan cửa khẩu Hoa Lư", Kind: "customs_branch", ValidFrom: from}),
	}
	u.CA2 = mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &u.CA.ID, Code: "CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: from})
	u.BP2 = mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &u.BP.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", Border: true, ValidFrom: from})
	u.BPRetired = mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &u.BP.ID, Code: "BP-CU", Name: "Đồn Biên phòng cũ", Kind: "border_post", Border: true, ValidFrom: from, ValidTo: day(2015, 12, 31)})
	return u
}

// scopeOf returns a scope that reads and writes the records of the agencies.
func scopeOf(agencies ...string) store.Scope {
	return store.Scope{Read: agencies, Write: agencies}
}

// readScopeOf returns a scope that reads the records of the agencies and writes none.
func readScopeOf(agencies ...string) store.Scope {
	return store.Scope{Read: agencies}
}

// allScope reads and writes every agency's records, removed ones included.
var allScope = store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}, Removed: true}

// recordActor is the actor of the record tests' writes.
var recordActor = phoihop.Actor{Username: "officer", IP: "10.0.0.7", RequestID: "req-rec"}

// newCase returns a valid open drug case opened on 2016-03-01, led by the unit's agency, with
// the other agencies taking part.
func newCase(code string, lead *phoihop.Unit, agencies ...string) *phoihop.Case {
	return &phoihop.Case{
		Code: code, Title: "Chuyên án " + code, CrimeType: "drugs",
		LeadAgency: lead.Agency, LeadUnitID: lead.ID, Agencies: agencies,
		Area: "border", OpenedOn: day(2016, 3, 1), Status: phoihop.CaseOpen,
	}
}

// mustCase creates the case with a scope writing every agency and fails the test on error.
func mustCase(t *testing.T, s *store.Store, c *phoihop.Case) *phoihop.Case {
	t.Helper()
	if err := s.CreateCase(context.Background(), recordActor, allScope, c); err != nil {
		t.Fatalf("create case %s: %v", c.Code, err)
	}
	return c
}

// countEntityAudit counts the audit entries of an entity ("case", "agreement"…).
func countEntityAudit(t *testing.T, s *store.Store, entity string) int {
	t.Helper()
	return countRows(t, s, `SELECT count(*) FROM audit_log WHERE entity = ?`, entity)
}
