package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// unitSpec is a unit of the demo province. Every unit is in service from before the plan was
// signed and still is, so every record of the demo finds its units in service.
type unitSpec struct {
	code, parent, agency, name, kind string
	border                           bool
	validFrom                        phoihop.Date
}

// units are the demo province's units, parents first. The province (like Bình Phước, founded
// 01/01/1997) borders Cambodia along three districts: Lộc Ninh, Bù Đốp and Phước Long.
var units = []unitSpec{
	{"CA-TINH", "", "CA", "Công an tỉnh Bình Phước", "headquarters", false, day(1997, 1, 1)},
	{"CA-PC47", "CA-TINH", "CA", "Phòng Cảnh sát điều tra tội phạm về ma túy", "department", false, day(1997, 1, 1)},
	{"CA-LOC-NINH", "CA-TINH", "CA", "Công an huyện Lộc Ninh", "district", true, day(1997, 1, 1)},
	{"CA-BU-DOP", "CA-TINH", "CA", "Công an huyện Bù Đốp", "district", true, day(2003, 3, 1)},
	{"CA-PHUOC-LONG", "CA-TINH", "CA", "Công an huyện Phước Long", "district", true, day(1997, 1, 1)},
	{"BP-BCH-TINH", "", "BP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Bình Phước", "headquarters", false, day(1997, 1, 1)},
	{"BP-PCMT", "BP-BCH-TINH", "BP", "Phòng Phòng chống ma túy và tội phạm", "department", false, day(1997, 1, 1)},
	{"BP-DON-HOA-LU", "BP-BCH-TINH", "BP", "Đồn Biên phòng Cửa khẩu quốc tế Hoa Lư", "border_post", true, day(1997, 1, 1)},
	{"BP-DON-LOC-TAN", "BP-BCH-TINH", "BP", "Đồn Biên phòng Lộc Tấn", "border_post", true, day(1997, 1, 1)},
	{"BP-DON-HOANG-DIEU", "BP-BCH-TINH", "BP", "Đồn Biên phòng Cửa khẩu Hoàng Diệu", "border_post", true, day(1997, 1, 1)},
	{"BP-DON-THANH-HOA", "BP-BCH-TINH", "BP", "Đồn Biên phòng Thanh Hòa", "border_post", true, day(1997, 1, 1)},
	{"BP-DON-DAK-O", "BP-BCH-TINH", "BP", "Đồn Biên phòng Đắk Ơ", "border_post", true, day(1997, 1, 1)},
	{"HQ-CUC-TINH", "", "HQ", "Cục Hải quan tỉnh Bình Phước", "headquarters", false, day(1997, 1, 1)},
	{"HQ-CC-HOA-LU", "HQ-CUC-TINH", "HQ", "Chi cục Hải quan cửa khẩu quốc tế Hoa Lư", "customs_branch", true, day(1997, 1, 1)},
	{"HQ-CC-HOANG-DIEU", "HQ-CUC-TINH", "HQ", "Chi cục Hải quan cửa khẩu Hoàng Diệu", "customs_branch", true, day(2001, 7, 1)},
}

// accountSpec is a demo account (fictional people).
type accountSpec struct {
	username, fullName, unit, role, domain string
}

// accounts are the demo accounts: an officer of each agency, a leader and an analyst of the
// provincial steering committee across all agencies. The officers write the demo's records.
var accounts = []accountSpec{
	{"ca.lmtuan", "Lê Minh Tuấn", "CA-PC47", "officer", "CA"},
	{"bp.tvhai", "Trần Văn Hải", "BP-PCMT", "officer", "BP"},
	{"hq.nttlan", "Nguyễn Thị Thanh Lan", "HQ-CC-HOA-LU", "officer", "HQ"},
	{"bcd.phson", "Phạm Hồng Sơn", "CA-TINH", "leader", phoihop.DomainAll},
	{"bcd.dtbthuy", "Đỗ Thị Bích Thủy", "CA-TINH", "analyst", phoihop.DomainAll},
}

// agreementSpec is a coordination plan; key names it in the case fixtures.
type agreementSpec struct {
	key, number, title, legalBasis string
	signedOn                       phoihop.Date
	signer                         string // the agency whose officer enters it
}

const decision133 = "Quyết định số 133/2002/QĐ-TTg ngày 09/10/2002 của Thủ tướng Chính phủ ban hành Quy chế " +
	"phối hợp giữa lực lượng Công an, Bộ đội Biên phòng, Cảnh sát biển và Hải quan trong đấu tranh phòng, " +
	"chống các loại tội phạm về ma túy"

var agreements = []agreementSpec{
	{"06", "06/KH-PH",
		"Kế hoạch phối hợp số 06 giữa Công an tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh và Cục Hải quan tỉnh " +
			"thực hiện Quyết định số 133/2002/QĐ-TTg trong đấu tranh phòng, chống tội phạm về ma túy",
		decision133, day(2004, 2, 13), "CA"},
	{"01", "01/QCPH-CA-BP-HQ",
		"Quy chế phối hợp giữa Công an tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh và Cục Hải quan tỉnh trong " +
			"đấu tranh phòng, chống tội phạm ma túy và buôn lậu trên tuyến biên giới giai đoạn 2016 – 2020, " +
			"ký tại Hội nghị tổng kết ngày 12/5/2016",
		decision133 + "; kết quả Hội nghị tổng kết thực hiện Quyết định số 133 ngày 12/5/2016",
		day(2016, 5, 12), "CA"},
}

// loader holds what a demo load has written so far.
type loader struct {
	ctx    context.Context
	st     *store.Store
	rng    *rand.Rand
	units  map[string]*phoihop.Unit
	actors map[string]phoihop.Actor // the officer of each agency
	plans  map[string]int64
	cases  map[string]*phoihop.Case
	// exchanges are those entered and not removed, oldest first.
	exchanges []heldExchange
	res       Result
	// grades draws the tips' grades from a stream of its own: grading left the rest of the
	// demo as it was.
	grades *rand.Rand
}

// seed makes every load the same.
const seed = 20040213

func newLoader(ctx context.Context, st *store.Store) *loader {
	return &loader{ctx: ctx, st: st, rng: rand.New(rand.NewPCG(seed, seed)), grades: rand.New(rand.NewPCG(seed, seed+1)),
		units: map[string]*phoihop.Unit{}, actors: map[string]phoihop.Actor{},
		plans: map[string]int64{}, cases: map[string]*phoihop.Case{}}
}

// scope is what the officer of an agency reads and writes.
func scope(agency string) store.Scope {
	return store.Scope{Read: []string{agency}, Write: []string{agency}}
}

// unit returns a loaded unit by its code; the fixtures name only demo units.
func (l *loader) unit(code string) *phoihop.Unit {
	u, ok := l.units[code]
	if !ok {
		panic("demo: no unit " + code)
	}
	return u
}

// actor is the officer writing the records of the agency.
func (l *loader) actor(agency string) phoihop.Actor {
	a, ok := l.actors[agency]
	if !ok {
		panic("demo: no officer of " + agency)
	}
	return a
}

func (l *loader) loadUnits() error {
	for _, spec := range units {
		u := &phoihop.Unit{Agency: spec.agency, Code: spec.code, Name: spec.name, Kind: spec.kind,
			Border: spec.border, ValidFrom: spec.validFrom}
		if spec.parent != "" {
			u.ParentID = &l.unit(spec.parent).ID
		}
		if err := l.st.CreateUnit(l.ctx, phoihop.SystemActor("demo"), store.Domains{All: true}, u); err != nil {
			return fmt.Errorf("unit %s: %w", spec.code, err)
		}
		l.units[u.Code] = u
		l.res.Units++
	}
	return nil
}

func (l *loader) loadAccounts(opts Options) error {
	for _, spec := range accounts {
		hash, err := auth.HashPassword(opts.Password)
		if err != nil {
			return err
		}
		unit := l.unit(spec.unit)
		u := &phoihop.User{Username: spec.username, FullName: spec.fullName, UnitID: &unit.ID,
			MustChangePassword: opts.MustChangePassword}
		grant := phoihop.RoleGrant{Role: spec.role, Domain: spec.domain}
		if err := l.st.CreateUser(l.ctx, phoihop.SystemActor("demo"), store.AllAccounts(), u, hash, grant); err != nil {
			return fmt.Errorf("account %s: %w", spec.username, err)
		}
		if spec.role == "officer" {
			l.actors[spec.domain] = phoihop.Actor{UserID: &u.ID, Username: u.Username}
		}
		l.res.Accounts = append(l.res.Accounts, Account{Username: u.Username, FullName: u.FullName,
			Unit: spec.unit, Role: spec.role, Domain: spec.domain})
	}
	return nil
}

func (l *loader) loadAgreements() error {
	for _, spec := range agreements {
		g := &phoihop.Agreement{Number: spec.number, Title: spec.title, SignedOn: spec.signedOn,
			LegalBasis: spec.legalBasis, Agencies: []string{"CA", "BP", "HQ"}}
		if err := l.st.CreateAgreement(l.ctx, l.actor(spec.signer), scope(spec.signer), g); err != nil {
			return fmt.Errorf("plan %s: %w", spec.number, err)
		}
		l.plans[spec.key] = g.ID
		l.res.Agreements++
	}
	return nil
}
