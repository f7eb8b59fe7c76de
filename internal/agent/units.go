package agent

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/xerr"
)

// unit is one module of work: a source file with its equations and
// algorithms, their tests, oracles and context.
type unit struct {
	Module string         // src/<pkg>/<mod>.py
	Name   string         // <pkg>.<mod>
	Paper  string         // the paper of its first item
	Items  []project.Item // equations, then algorithms
	Kinds  []string       // "Equation" or "Algorithm", parallel to Items
	Tests  []string       // the test files that exist, in item order
	Deps   []string       // names of the units it waits for
}

// slug is the unit's name for files under .repro/agent.
func (u *unit) slug() string { return u.Name }

// moduleName turns src/<pkg>/<mod>.py into <pkg>.<mod>.
func moduleName(p string) string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "src/"), ".py")
	return strings.ReplaceAll(p, "/", ".")
}

// loadUnits makes the units of the manifest, in the plan's order (the
// components table of IMPLEMENTATION_PLAN.md, foundations first), else the
// manifest's, with the dependencies the plan, the tests and the sources
// name. selected restricts them (module names, dotted names or paths).
func loadUnits(root string, m *project.Manifest, selected []string) ([]*unit, error) {
	byMod := map[string]*unit{}
	var order []*unit
	add := func(it project.Item, kind string) {
		if it.Module == "" {
			return
		}
		u := byMod[it.Module]
		if u == nil {
			u = &unit{Module: it.Module, Name: moduleName(it.Module), Paper: it.Paper}
			byMod[it.Module] = u
			order = append(order, u)
		}
		u.Items = append(u.Items, it)
		u.Kinds = append(u.Kinds, kind)
		if it.Test != "" && !slices.Contains(u.Tests, it.Test) {
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(it.Test))); err == nil {
				u.Tests = append(u.Tests, it.Test)
			}
		}
	}
	for _, it := range m.Equations {
		add(it, "Equation")
	}
	for _, it := range m.Algorithms {
		add(it, "Algorithm")
	}

	// The plan's order and dependencies.
	planOrder, planUses := readPlan(root)
	rank := map[string]int{}
	for i, mod := range planOrder {
		rank[mod] = i
	}
	slices.SortStableFunc(order, func(a, b *unit) int {
		ra, oka := rank[a.Module]
		rb, okb := rank[b.Module]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})

	// Selection.
	if len(selected) > 0 {
		var keep []*unit
		for _, s := range selected {
			var found *unit
			for _, u := range order {
				base := path.Base(strings.TrimSuffix(u.Module, ".py"))
				if s == u.Module || s == u.Name || s == base || s+".py" == path.Base(u.Module) {
					found = u
					break
				}
			}
			if found == nil {
				var names []string
				for _, u := range order {
					names = append(names, u.Name)
				}
				return nil, xerr.Input("", fmt.Sprintf("no module %q with equations or algorithms in the project", s),
					"choose one of "+strings.Join(names, ", "))
			}
			if !slices.Contains(keep, found) {
				keep = append(keep, found)
			}
		}
		slices.SortStableFunc(keep, func(a, b *unit) int { return slices.Index(order, a) - slices.Index(order, b) })
		order = keep
	}

	// Dependencies: only on selected units that come earlier, so that the
	// graph has no cycle.
	pos := map[string]int{}
	for i, u := range order {
		pos[u.Name] = i
	}
	for i, u := range order {
		deps := append(slices.Clone(planUses[u.Module]), importedModules(root, u)...)
		for _, d := range deps {
			if j, ok := pos[d]; ok && j < i && !slices.Contains(u.Deps, d) {
				u.Deps = append(u.Deps, d)
			}
		}
	}
	return order, nil
}

// planRowRe matches a row of the plan's components table:
// | `paper` | level | component | `src/pkg/mod.py` | equations | algorithms | uses |
var planRowRe = regexp.MustCompile("^\\|\\s*`[^`]*`\\s*\\|\\s*\\d+\\s*\\|[^|]*\\|\\s*`(src/[^`]+\\.py)`\\s*\\|[^|]*\\|[^|]*\\|([^|]*)\\|\\s*$")

// readPlan reads the components table of IMPLEMENTATION_PLAN.md: the
// modules in order and, for each, the dotted names of the modules it uses.
// A missing or unreadable plan gives nothing.
func readPlan(root string) ([]string, map[string][]string) {
	b, err := os.ReadFile(filepath.Join(root, "IMPLEMENTATION_PLAN.md"))
	if err != nil {
		return nil, nil
	}
	var order []string
	uses := map[string][]string{}
	for _, l := range strings.Split(string(b), "\n") {
		m := planRowRe.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		mod := m[1]
		if !slices.Contains(order, mod) {
			order = append(order, mod)
		}
		pkg := moduleName(path.Dir(mod) + ".py")
		for _, f := range regexp.MustCompile("`([\\w.]+)`").FindAllStringSubmatch(m[2], -1) {
			name := f[1]
			if !strings.Contains(name, ".") {
				name = pkg + "." + name
			}
			uses[mod] = append(uses[mod], name)
		}
	}
	return order, uses
}

var importRe = regexp.MustCompile(`(?m)^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))`)

// importedModules are the dotted module names that the unit's tests and
// source import.
func importedModules(root string, u *unit) []string {
	var out []string
	for _, f := range append([]string{u.Module}, u.Tests...) {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			continue
		}
		for _, m := range importRe.FindAllStringSubmatch(string(b), -1) {
			name := m[1] + m[2]
			if name != u.Name && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}
