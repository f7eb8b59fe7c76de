package graph

import (
	"cmp"
	"slices"
)

// breakCycles finds the citation cycles one at a time and breaks each by
// ignoring its lightest edge (ties broken by From, then To), until the
// edges that are left form no cycle.
func (g *Graph) breakCycles() {
	for {
		cyc := g.findCycle()
		if cyc == nil {
			return
		}
		var light *Edge
		for i, from := range cyc {
			to := cyc[(i+1)%len(cyc)]
			for j := range g.Edges {
				e := &g.Edges[j]
				if e.From != from || e.To != to {
					continue
				}
				if light == nil || lighter(*e, *light) {
					light = e
				}
			}
		}
		g.Cycles = append(g.Cycles, cyc)
		g.Broken = append(g.Broken, *light)
	}
}

// lighter orders edges by weight, then From, then To.
func lighter(a, b Edge) bool {
	return cmp.Or(cmp.Compare(a.Weight, b.Weight), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) < 0
}

// findCycle returns a cycle among the edges that are not broken, rotated to
// start at its smallest identifier, or nil. The search is a depth-first
// search from the papers in identifier order, following edges in order of
// their targets, so the cycle found is always the same.
func (g *Graph) findCycle() []string {
	adj := map[string][]string{}
	for _, e := range g.Active() {
		adj[e.From] = append(adj[e.From], e.To)
	}
	nodes := slices.Clone(g.Papers)
	slices.Sort(nodes)
	for _, n := range nodes {
		slices.Sort(adj[n])
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var found []string
	var visit func(n string) bool
	visit = func(n string) bool {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range adj[n] {
			switch color[m] {
			case grey:
				i := slices.Index(stack, m)
				found = slices.Clone(stack[i:])
				return true
			case white:
				if visit(m) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return false
	}
	for _, n := range nodes {
		if color[n] == white && visit(n) {
			break
		}
	}
	if found == nil {
		return nil
	}
	min := 0
	for i, n := range found {
		if n < found[min] {
			min = i
		}
	}
	return append(found[min:], found[:min]...)
}

// topoOrder returns the papers so that each comes after the papers it
// cites (edges that are not broken), choosing the smallest identifier
// whenever several papers are ready.
func (g *Graph) topoOrder() []string {
	deps := map[string]int{}
	users := map[string][]string{}
	for _, e := range g.Active() {
		deps[e.From]++
		users[e.To] = append(users[e.To], e.From)
	}
	var ready []string
	for _, p := range g.Papers {
		if deps[p] == 0 {
			ready = append(ready, p)
		}
	}
	order := make([]string, 0, len(g.Papers))
	for len(ready) > 0 {
		slices.Sort(ready)
		p := ready[0]
		ready = ready[1:]
		order = append(order, p)
		for _, u := range users[p] {
			if deps[u]--; deps[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	// Unreachable once cycles are broken; kept so that no paper is lost.
	for _, p := range g.Papers {
		if !slices.Contains(order, p) {
			order = append(order, p)
		}
	}
	return order
}
