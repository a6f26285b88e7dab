package demo_test

import (
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestLoadGradesTips: the demo's tips carry plausible grades on the 4×4 scale — every code of
// both scales in use, the tips that led to a case from reliable or usually reliable sources
// with a handling note, the tips just received and those of the years before the units graded
// tips (before 2006) not graded — and
// the article's figures stay (TestLoadGivesTheArticlesFigures).
func TestLoadGradesTips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		mustLoad(t, st)
		for _, c := range []struct {
			name, where string
			min, max    int // max -1: no bound
		}{
			{"graded tips", "source_reliability IS NOT NULL", 150, -1},
			{"tips not graded", "source_reliability IS NULL", 20, -1},
			{"new tips graded", "status = 'new' AND source_reliability IS NOT NULL", 0, 0},
			{"tips of before 2006 graded", "received_on < '2006-01-01' AND source_reliability IS NOT NULL", 0, 0},
			{"tips of 2006 on leading to a case", "case_id IS NOT NULL AND received_on >= '2006-01-01'", 4, -1},
			{"tips of 2006 on leading to a case from a source not A or B, or without a note",
				"case_id IS NOT NULL AND received_on >= '2006-01-01' AND (source_reliability IS NULL OR " +
					"source_reliability NOT IN ('A', 'B') OR handling_note = '')", 0, 0},
			{"tips not valuable graded A", "status = 'not_valuable' AND source_reliability = 'A'", 0, 0},
			{"tips with a handling note", "handling_note <> ''", 20, -1},
		} {
			n := count(t, st, "tips WHERE "+c.where)
			if n < c.min || c.max >= 0 && n > c.max {
				t.Errorf("%s = %d, want %d to %d", c.name, n, c.min, c.max)
			}
		}
		for _, code := range phoihop.SourceReliabilities {
			if count(t, st, "tips WHERE source_reliability = '"+code+"'") == 0 {
				t.Errorf("no tip's source graded %s", code)
			}
		}
		for _, code := range phoihop.InformationValidities {
			if count(t, st, "tips WHERE information_validity = '"+code+"'") == 0 {
				t.Errorf("no tip's information graded %s", code)
			}
		}
	})
}
