package demo

import (
	"fmt"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// caseSpec is a joint case of the demo with its arrests, seizures and the tip that led to it.
type caseSpec struct {
	code, title, crimeType, lead string // lead: the lead unit's code
	agencies                     []string
	plan                         string // key of the coordination plan, "" for none
	opened, closed               phoihop.Date
	summary                      string
	suspects                     []suspectSpec
	seizures                     []seizureSpec
	tip                          *tipSpec
	// removed entries are entered and then removed with the reason (they never count).
	removedSuspect *suspectSpec
	removedSeizure *seizureSpec
	removeReason   string // the case itself is removed after being entered
}

// suspectSpec is an arrest (fictional people).
type suspectSpec struct {
	name      string
	born      int
	gender    string
	country   string
	idNumber  string
	address   string
	unit      string
	on        phoihop.Date
	notes     string
	removedBy string // reason, for a removed arrest
}

// seizureSpec is a seizure; qty is in thousandths (phoihop.Quantity).
type seizureSpec struct {
	category            string
	qty                 phoihop.Quantity
	unit                string
	on                  phoihop.Date
	location, transport string
	from, to            string
	description         string
	removedBy           string // reason, for a removed seizure
}

// pieces is a count of items as a quantity.
func pieces(n int64) phoihop.Quantity { return phoihop.Quantity(n * 1000) }

// grams is a weight given in milligrams as a quantity of grams.
func grams(mg int64) phoihop.Quantity { return phoihop.Quantity(mg) }

func (l *loader) loadCases() error {
	for i := range cases {
		if err := l.loadCase(&cases[i]); err != nil {
			return fmt.Errorf("case %s: %w", cases[i].code, err)
		}
	}
	return nil
}

func (l *loader) loadCase(spec *caseSpec) error {
	lead := l.unit(spec.lead)
	c := &phoihop.Case{Code: spec.code, Title: spec.title, CrimeType: spec.crimeType,
		LeadAgency: lead.Agency, LeadUnitID: lead.ID, Agencies: spec.agencies, Area: "border",
		OpenedOn: spec.opened, ClosedOn: spec.closed, Status: phoihop.CaseConcluded, Summary: spec.summary}
	if spec.closed.IsZero() {
		c.Status = phoihop.CaseOpen
	}
	if spec.plan != "" {
		id := l.plans[spec.plan]
		c.AgreementID = &id
	}
	// The demo's cases were recorded before agencies joined by invitation: the lead records
	// them with the agencies that took part, as the migration keeps those of existing cases.
	joint := store.Scope{Read: spec.agencies, Write: spec.agencies}
	if err := l.st.CreateCase(l.ctx, l.actor(lead.Agency), joint, c); err != nil {
		return err
	}
	l.cases[spec.code] = c
	l.res.Cases++
	suspects := spec.suspects
	if spec.removedSuspect != nil {
		suspects = append(suspects[:len(suspects):len(suspects)], *spec.removedSuspect)
	}
	for _, s := range suspects {
		if err := l.addSuspect(c.ID, s); err != nil {
			return fmt.Errorf("suspect %s: %w", s.name, err)
		}
	}
	seizures := spec.seizures
	if spec.removedSeizure != nil {
		seizures = append(seizures[:len(seizures):len(seizures)], *spec.removedSeizure)
	}
	for _, z := range seizures {
		if err := l.addSeizure(c.ID, z); err != nil {
			return fmt.Errorf("seizure %s: %w", z.category, err)
		}
	}
	if spec.removeReason != "" {
		if err := l.st.RemoveCase(l.ctx, l.actor(lead.Agency), scope(lead.Agency), c.ID, c.Version, spec.removeReason); err != nil {
			return err
		}
		l.res.Removed++
	}
	return nil
}

func (l *loader) addSuspect(caseID int64, s suspectSpec) error {
	unit := l.unit(s.unit)
	sp := &phoihop.Suspect{CaseID: caseID, FullName: s.name, Gender: s.gender, Nationality: s.country,
		IDNumber: s.idNumber, Address: s.address, ArrestedOn: s.on, ArrestingUnitID: unit.ID, Notes: s.notes}
	if s.born != 0 {
		born := s.born
		sp.BirthYear = &born
	}
	a, sc := l.actor(unit.Agency), scope(unit.Agency)
	if err := l.st.CreateSuspect(l.ctx, a, sc, sp); err != nil {
		return err
	}
	l.res.Suspects++
	if s.removedBy != "" {
		if err := l.st.RemoveSuspect(l.ctx, a, sc, sp.ID, sp.Version, s.removedBy); err != nil {
			return err
		}
		l.res.Removed++
	}
	return nil
}

func (l *loader) addSeizure(caseID int64, z seizureSpec) error {
	unit := l.unit(z.unit)
	sz := &phoihop.Seizure{CaseID: caseID, Category: z.category, Quantity: z.qty, SeizedOn: z.on,
		SeizingUnitID: unit.ID, LocationType: optional(z.location), TransportMode: optional(z.transport),
		DepartureCountry: optional(z.from), DestinationCountry: optional(z.to), Description: z.description}
	a, sc := l.actor(unit.Agency), scope(unit.Agency)
	if err := l.st.CreateSeizure(l.ctx, a, sc, sz); err != nil {
		return err
	}
	l.res.Seizures++
	if z.removedBy != "" {
		if err := l.st.RemoveSeizure(l.ctx, a, sc, sz.ID, sz.Version, z.removedBy); err != nil {
			return err
		}
		l.res.Removed++
	}
	return nil
}

// optional is nil for "", else a pointer to s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
