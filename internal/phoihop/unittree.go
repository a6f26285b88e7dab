package phoihop

// UnitNode is a unit at its place in its agency's tree: Depth 0 for a top unit.
type UnitNode struct {
	Unit
	Depth    int
	Children int
}

// UnitTree orders units depth first, each unit followed by its children in the order they
// come in units (so sort units by name first). Units whose parent is not in the list are
// shown as top units, so a filtered list still shows every unit once.
func UnitTree(units []Unit) []UnitNode {
	present := make(map[int64]bool, len(units))
	for _, u := range units {
		present[u.ID] = true
	}
	children := make(map[int64][]Unit)
	var roots []Unit
	for _, u := range units {
		if u.ParentID != nil && present[*u.ParentID] && *u.ParentID != u.ID {
			children[*u.ParentID] = append(children[*u.ParentID], u)
			continue
		}
		roots = append(roots, u)
	}
	out := make([]UnitNode, 0, len(units))
	seen := make(map[int64]bool, len(units))
	var walk func(u Unit, depth int)
	walk = func(u Unit, depth int) {
		if seen[u.ID] { // a cycle cannot be stored, but never loop on bad data
			return
		}
		seen[u.ID] = true
		out = append(out, UnitNode{Unit: u, Depth: depth, Children: len(children[u.ID])})
		for _, c := range children[u.ID] {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}
