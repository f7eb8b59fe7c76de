package plan

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/graph"
)

// paperInfo is the analysis of one paper.
type paperInfo struct {
	p     graph.Paper
	d     *doc.Document
	order int
	pkg   string
	eqs   []*eqInfo
	algs  []*algInfo
	comps []*compInfo
	defs  map[string][]int // symbol → indices into eqs, in document order
	deps  []*paperInfo     // papers it depends on, nearest first
}

type eqInfo struct {
	e        *doc.Equation
	key      string // number, tag or id
	numbered bool
	sym      Symbols
	comp     *compInfo
	test     string
	row      *EquationDependency
}

type algInfo struct {
	a    *doc.Algorithm
	key  string
	comp *compInfo
	test string
}

type compInfo struct {
	c     Component
	first int // position of its section in the document
	deps  map[*compInfo]bool
}

// Build makes the plan for papers, whose graph is g (built with
// graph.Build(papers) when nil). Papers follow g.Order. An empty intent or
// environment takes its default (full, cpu); an unknown one is planned as
// the default and reported among the risks, so the caller should check
// options against Intents and Envs first.
func Build(g *graph.Graph, papers []graph.Paper, o Options) *Plan {
	if g == nil {
		g = graph.Build(papers)
	}
	o, bad := o.normalize()
	pl := &Plan{
		SchemaVersion:        SchemaVersion,
		Generator:            "repro",
		Intent:               o.Intent,
		IntentDescription:    intentDescriptions[o.Intent],
		Env:                  o.Env,
		EnvDescription:       envDescriptions[o.Env],
		Papers:               []Paper{},
		EquationDependencies: []EquationDependency{},
		AlgorithmLinks:       []AlgorithmLink{},
		Tests:                []TestFile{},
		Phases:               []Phase{},
		Files:                []File{},
		Hyperparameters:      []Hyperparameter{},
		Benchmarks:           []Benchmark{},
		Risks:                []Risk{},
		SuccessCriteria:      []string{},
		Graph: Graph{
			Edges:  nonNilEdges(g.Edges),
			Order:  nonNil(g.Order),
			Cycles: nonNilCycles(g.Cycles),
			Broken: nonNilEdges(g.Broken),
		},
	}
	if o.Version != "" {
		pl.Generator = "repro " + o.Version
	}
	infos := analyzePapers(g, papers)
	for _, pi := range infos {
		planComponents(pi)
	}
	for _, pi := range infos {
		resolve(pi)
	}
	for _, pi := range infos {
		componentLevels(pi)
	}
	for _, pi := range infos {
		pl.addPaper(g, pi)
	}
	pl.addTests(infos)
	pl.addAlgorithmLinks(infos)
	pl.Summary = summary(g, infos, len(pl.Tests))
	pl.Phases = phases(o, infos, pl.Tests)
	pl.Files = manifest(o, infos, pl.Tests)
	pl.Hyperparameters = hyperparameters(infos)
	pl.Benchmarks = benchmarks(infos)
	pl.HyperparametersNote, pl.BenchmarksNote = notes(infos, len(pl.Hyperparameters), len(pl.Benchmarks))
	pl.Tolerance = Tolerance{Relative: DefaultTolerance, Source: "default: repro does not extract a tolerance from the papers yet; use the paper's own when it states one"}
	pl.Risks = risks(o, g, infos, bad)
	pl.SuccessCriteria = successCriteria(o, pl)
	return pl
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilEdges(s []graph.Edge) []graph.Edge {
	if s == nil {
		return []graph.Edge{}
	}
	return s
}

func nonNilCycles(s [][]string) [][]string {
	if s == nil {
		return [][]string{}
	}
	return s
}

// analyzePapers orders the papers as g does and runs the symbol analysis
// on their equations.
func analyzePapers(g *graph.Graph, papers []graph.Paper) []*paperInfo {
	byID := map[string]graph.Paper{}
	var ids []string
	for _, p := range papers {
		if _, ok := byID[p.ID]; ok || p.ID == "" {
			continue
		}
		byID[p.ID] = p
		ids = append(ids, p.ID)
	}
	var order []string
	for _, id := range g.Order {
		if _, ok := byID[id]; ok && !slices.Contains(order, id) {
			order = append(order, id)
		}
	}
	for _, id := range ids {
		if !slices.Contains(order, id) {
			order = append(order, id)
		}
	}
	var infos []*paperInfo
	at := map[string]*paperInfo{}
	used := map[string]bool{}
	for i, id := range order {
		p := byID[id]
		pi := &paperInfo{p: p, d: docOf(p), order: i, defs: map[string][]int{}}
		pi.pkg = unique(packageName(p.ID, pi.d.Title), used)
		for k := range pi.d.Equations {
			e := &pi.d.Equations[k]
			key, numbered := equationKey(e)
			ei := &eqInfo{e: e, key: key, numbered: numbered, sym: Analyze(e.LaTeXExpanded)}
			if ei.sym.Defines == "" && len(ei.sym.Also) == 0 && e.LaTeXExpanded == "" {
				ei.sym = Analyze(e.LaTeX)
			}
			for _, s := range defined(ei.sym) {
				pi.defs[s] = append(pi.defs[s], len(pi.eqs))
			}
			pi.eqs = append(pi.eqs, ei)
		}
		for k := range pi.d.Algorithms {
			a := &pi.d.Algorithms[k]
			key := a.Number
			if key == "" {
				key = "unnumbered " + strconv.Itoa(k+1)
			}
			pi.algs = append(pi.algs, &algInfo{a: a, key: key})
		}
		infos = append(infos, pi)
		at[id] = pi
	}
	// Dependencies, transitively, nearest first, then in implementation
	// order.
	for _, pi := range infos {
		dist := map[string]int{pi.p.ID: 0}
		queue := []string{pi.p.ID}
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, d := range g.Dependencies(cur) {
				if _, seen := dist[d]; !seen && at[d] != nil {
					dist[d] = dist[cur] + 1
					queue = append(queue, d)
				}
			}
		}
		for id, n := range dist {
			if n > 0 {
				pi.deps = append(pi.deps, at[id])
			}
		}
		slices.SortFunc(pi.deps, func(a, b *paperInfo) int {
			return cmp.Or(cmp.Compare(dist[a.p.ID], dist[b.p.ID]), cmp.Compare(a.order, b.order))
		})
	}
	return infos
}

// defined returns all symbols an equation defines.
func defined(s Symbols) []string {
	var out []string
	if s.Defines != "" {
		out = append(out, s.Defines)
	}
	return append(out, s.Also...)
}

// equationKey names an equation: its number, its tag, else its id.
func equationKey(e *doc.Equation) (string, bool) {
	if n := e.NumberString(); n != "" {
		return n, true
	}
	if e.Tag != "" {
		return e.Tag, false
	}
	return e.ID, false
}

// planComponents groups a paper's equations and algorithms by top-level
// section into components.
func planComponents(pi *paperInfo) {
	bySec := map[string]*compInfo{}
	used := map[string]bool{}
	get := func(section string) *compInfo {
		top, _, _ := strings.Cut(section, ".")
		if c, ok := bySec[top]; ok {
			return c
		}
		name, pos := sectionTitle(pi.d, top)
		mod := unique(moduleName(name, top), used)
		c := &compInfo{
			c: Component{
				Name: name, Module: mod, Path: "src/" + pi.pkg + "/" + mod + ".py", Section: top,
				Equations: []string{}, Algorithms: []string{}, DependsOn: []string{}, Tests: []string{},
			},
			first: pos,
			deps:  map[*compInfo]bool{},
		}
		bySec[top] = c
		pi.comps = append(pi.comps, c)
		return c
	}
	for _, ei := range pi.eqs {
		ei.comp = get(ei.e.Section)
		ei.comp.c.Equations = append(ei.comp.c.Equations, ei.key)
	}
	for _, ai := range pi.algs {
		ai.comp = get(ai.a.Section)
		ai.comp.c.Algorithms = append(ai.comp.c.Algorithms, ai.key)
	}
}

// sectionTitle returns the title of the top-level section top and its
// position among the sections.
func sectionTitle(d *doc.Document, top string) (string, int) {
	if top == "" {
		return "Front matter", -1
	}
	for i, s := range d.Sections {
		if s.Number == top {
			return s.Title, i
		}
	}
	return "Section " + top, len(d.Sections)
}

// resolve links each equation's used symbols to the equations that define
// them: in the same paper the nearest definition before it (else the first
// after it); else, for distinctive symbols (see distinctive), the first
// definition in the nearest paper it depends on.
func resolve(pi *paperInfo) {
	for x, ei := range pi.eqs {
		row := &EquationDependency{
			Paper: pi.p.ID, Equation: ei.key, Numbered: ei.numbered, Label: ei.e.Label, Section: ei.e.Section,
			Defines: nonNil(defined(ei.sym)), Uses: nonNil(ei.sym.Uses),
			DependsOn: []EquationRef{}, UsedBy: []EquationRef{}, Undefined: []string{},
		}
		ei.row = row
		for _, s := range ei.sym.Uses {
			if y := pick(pi.defs[s], x); y >= 0 {
				row.DependsOn = addRef(row.DependsOn, pi.p.ID, pi.eqs[y].key, s)
				if c, d := ei.comp, pi.eqs[y].comp; c != d {
					c.deps[d] = true
				}
				continue
			}
			if dp, y := foreign(pi, s); dp != nil {
				row.DependsOn = addRef(row.DependsOn, dp.p.ID, dp.eqs[y].key, s)
				continue
			}
			row.Undefined = append(row.Undefined, s)
		}
	}
}

// pick chooses among the defining equations idx of a symbol the one for
// equation x: the last before x, else the first after it; -1 if none.
func pick(idx []int, x int) int {
	best := -1
	for _, y := range idx {
		if y < x {
			best = y
		}
	}
	if best >= 0 {
		return best
	}
	for _, y := range idx {
		if y > x {
			return y
		}
	}
	return -1
}

// foreign finds the definition of a distinctive symbol in the papers pi
// depends on.
func foreign(pi *paperInfo, s string) (*paperInfo, int) {
	if !distinctive(s) {
		return nil, -1
	}
	for _, dp := range pi.deps {
		if idx := dp.defs[s]; len(idx) > 0 {
			return dp, idx[0]
		}
	}
	return nil, -1
}

// distinctive says whether a symbol is specific enough to mean the same in
// another paper: not a bare letter or Greek letter.
func distinctive(s string) bool {
	if len(s) == 1 {
		return false
	}
	return !greek[s]
}

// addRef adds symbol s of equation (paper, eq) to refs.
func addRef(refs []EquationRef, paper, eq, s string) []EquationRef {
	for i := range refs {
		if refs[i].Paper == paper && refs[i].Equation == eq {
			if !slices.Contains(refs[i].Symbols, s) {
				refs[i].Symbols = append(refs[i].Symbols, s)
			}
			return refs
		}
	}
	return append(refs, EquationRef{Paper: paper, Equation: eq, Symbols: []string{s}})
}

// componentLevels gives each component of a paper its level (0 for
// foundations, else one more than the components it uses; dependency
// cycles are cut where the search meets them) and sorts the components by
// level, then by position in the paper.
func componentLevels(pi *paperInfo) {
	state := map[*compInfo]int{} // 1 visiting, 2 done
	var level func(c *compInfo) int
	level = func(c *compInfo) int {
		switch state[c] {
		case 1:
			return -1
		case 2:
			return c.c.Level
		}
		state[c] = 1
		l := 0
		for _, d := range pi.comps {
			if c.deps[d] {
				l = max(l, level(d)+1)
			}
		}
		c.c.Level = l
		state[c] = 2
		return l
	}
	for _, c := range pi.comps {
		level(c)
		for _, d := range pi.comps {
			if c.deps[d] {
				c.c.DependsOn = append(c.c.DependsOn, d.c.Module)
			}
		}
		slices.Sort(c.c.DependsOn)
	}
	slices.SortStableFunc(pi.comps, func(a, b *compInfo) int {
		return cmp.Or(cmp.Compare(a.c.Level, b.c.Level), cmp.Compare(a.first, b.first))
	})
}

// addPaper adds a paper, its components and its equation rows.
func (pl *Plan) addPaper(g *graph.Graph, pi *paperInfo) {
	arxiv := graph.NormalizeArxiv(pi.p.ArxivID)
	if arxiv == "" {
		arxiv = graph.NormalizeArxiv(pi.d.ArxivID)
	}
	p := Paper{
		ID: pi.p.ID, Title: pi.d.Title, ArxivID: arxiv, Package: pi.pkg, DependsOn: []string{},
		Equations: len(pi.eqs), Algorithms: len(pi.algs), Components: []Component{},
	}
	for _, id := range g.Order {
		if slices.Contains(g.Dependencies(pi.p.ID), id) {
			p.DependsOn = append(p.DependsOn, id)
		}
	}
	for _, ei := range pi.eqs {
		if ei.numbered {
			p.NumberedEquations++
		}
	}
	pl.Papers = append(pl.Papers, p)
}

// addTests names the test files, fills the components' tests and adds the
// equation rows (with their used-by lists).
func (pl *Plan) addTests(infos []*paperInfo) {
	multi := len(infos) > 1
	used := map[string]bool{}
	for i, pi := range infos {
		for _, ei := range pi.eqs {
			if !ei.numbered {
				continue
			}
			slug := firstNonEmpty(labelSlug(ei.e.Label), symbolSlug(ei.sym.Defines), ei.comp.c.Module, "equation")
			if multi {
				slug = pi.pkg + "_" + slug
			}
			ei.test = unique("tests/test_equations/test_eq"+itemSlug(ei.key)+"_"+slug, used) + ".py"
			ei.comp.c.Tests = append(ei.comp.c.Tests, ei.test)
			pl.Tests = append(pl.Tests, TestFile{
				Path: ei.test, Paper: pi.p.ID, Kind: "equation", Item: ei.key, Label: ei.e.Label,
				Component: ei.comp.c.Path, Checks: slices.Clone(equationChecks),
			})
		}
		for _, ai := range pi.algs {
			if ai.a.Number == "" {
				continue
			}
			slug := firstNonEmpty(labelSlug(ai.a.Label), slugWords(ai.a.Caption, 4), ai.comp.c.Module, "algorithm")
			if multi {
				slug = pi.pkg + "_" + slug
			}
			ai.test = unique("tests/test_algorithms/test_alg"+itemSlug(ai.key)+"_"+slug, used) + ".py"
			ai.comp.c.Tests = append(ai.comp.c.Tests, ai.test)
			pl.Tests = append(pl.Tests, TestFile{
				Path: ai.test, Paper: pi.p.ID, Kind: "algorithm", Item: ai.key, Label: ai.a.Label,
				Component: ai.comp.c.Path, Checks: slices.Clone(algorithmChecks),
			})
		}
		for _, c := range pi.comps {
			pl.Papers[i].Components = append(pl.Papers[i].Components, c.c)
		}
	}
	// Used-by lists, then the rows.
	where := map[[2]string]*EquationDependency{}
	for _, pi := range infos {
		for _, ei := range pi.eqs {
			where[[2]string{pi.p.ID, ei.key}] = ei.row
		}
	}
	for _, pi := range infos {
		for _, ei := range pi.eqs {
			for _, r := range ei.row.DependsOn {
				if dep := where[[2]string{r.Paper, r.Equation}]; dep != nil {
					for _, s := range r.Symbols {
						dep.UsedBy = addRef(dep.UsedBy, pi.p.ID, ei.key, s)
					}
				}
			}
		}
	}
	for _, pi := range infos {
		for _, ei := range pi.eqs {
			pl.EquationDependencies = append(pl.EquationDependencies, *ei.row)
		}
	}
}

// The checks each test file makes; Markdown explains them.
var (
	equationChecks  = []string{"shape", "gradient_flow", "numerical_stability", "determinism", "oracle"}
	algorithmChecks = []string{"steps", "equations", "determinism"}
)

var refRe = regexp.MustCompile(`\[([^\[\]\s]+)\]`)

// addAlgorithmLinks finds, for every algorithm line, the equations it
// references ([label] in its text or comment) and the equations that
// define the distinctive symbols it assigns or uses.
func (pl *Plan) addAlgorithmLinks(infos []*paperInfo) {
	for _, pi := range infos {
		for _, ai := range pi.algs {
			for n, st := range ai.a.Steps {
				link := AlgorithmLink{Paper: pi.p.ID, Algorithm: ai.key, Line: n + 1, Text: st.Text, Refs: []string{}, Symbols: []EquationRef{}}
				for _, m := range refRe.FindAllStringSubmatch(st.Text+" "+st.Comment, -1) {
					if l, ok := pi.d.Labels[m[1]]; ok && l.Kind == "equation" && !slices.Contains(link.Refs, l.Number) {
						link.Refs = append(link.Refs, l.Number)
					}
				}
				assigns, uses := StepSymbols(st.Text)
				for _, s := range appendNew(assigns, uses...) {
					if !distinctive(s) {
						continue
					}
					if y := pick(pi.defs[s], len(pi.eqs)); y >= 0 {
						link.Symbols = addRef(link.Symbols, pi.p.ID, pi.eqs[y].key, s)
					} else if dp, y := foreign(pi, s); dp != nil {
						link.Symbols = addRef(link.Symbols, dp.p.ID, dp.eqs[y].key, s)
					}
				}
				if len(link.Refs) > 0 || len(link.Symbols) > 0 {
					pl.AlgorithmLinks = append(pl.AlgorithmLinks, link)
				}
			}
		}
	}
}

// summary sizes the work and finds the longest dependency chain.
func summary(g *graph.Graph, infos []*paperInfo, tests int) Summary {
	s := Summary{TestFiles: tests}
	for _, pi := range infos {
		s.Equations += len(pi.eqs)
		s.Algorithms += len(pi.algs)
		s.Components += len(pi.comps)
		for _, ei := range pi.eqs {
			if ei.numbered {
				s.NumberedEquations++
			}
		}
	}
	// Longest path in implementation order (dependencies come first).
	best := map[string][]string{}
	for _, id := range g.Order {
		var chain []string
		for _, d := range g.Dependencies(id) {
			if c := best[d]; len(c) > len(chain) {
				chain = c
			}
		}
		best[id] = append(slices.Clone(chain), id)
	}
	for _, id := range g.Order {
		if c := best[id]; len(c) > len(s.Chain) {
			s.Chain = c
		}
	}
	s.Chain = nonNil(s.Chain)
	return s
}

// ----------------------------------------------------------------- names

// packageName returns a Python package name for a paper: its id when that
// is a name ("tinyformer"), else the title's part before a colon when it
// is short ("GateNorm: ..." → gatenorm), else the title's first words,
// else "paper_" and the id.
func packageName(id, title string) string {
	if s := slugWords(id, 4); s != "" && isLetter(id[0]) && !strings.ContainsAny(id, "./") {
		return s
	}
	if head, _, ok := strings.Cut(title, ":"); ok && len(strings.Fields(head)) <= 3 {
		if s := slugWords(head, 3); s != "" {
			return s
		}
	}
	if s := slugWords(title, 3); s != "" {
		return s
	}
	return "paper_" + firstNonEmpty(slug(id), "x")
}

// moduleName is the module of a component: its section title as a slug.
func moduleName(title, top string) string {
	if s := slugWords(title, 4); s != "" {
		return s
	}
	if s := slug(top); s != "" {
		return "section_" + s
	}
	return "front_matter"
}

// stopWords are left out of slugs.
var stopWords = map[string]bool{"the": true, "a": true, "an": true, "and": true, "of": true, "for": true, "with": true, "on": true, "in": true, "to": true, "via": true, "by": true, "its": true, "our": true}

// pythonKeywords may not be module names.
var pythonKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`false none true and as assert async await break class continue def del elif else
		except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield
		test tests typing math random types copy abc io os sys time`) {
		pythonKeywords[k] = true
	}
}

// slugWords returns the first n words of s that are not stop words, lower
// case, joined by underscores, as a Python identifier (prefixed with "m_"
// when it starts with a digit, suffixed with "_" when it is a keyword or
// a standard module name).
func slugWords(s string, n int) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		if stopWords[w] {
			continue
		}
		words = append(words, w)
		if len(words) == n {
			break
		}
	}
	out := strings.Join(words, "_")
	if out == "" {
		return ""
	}
	if '0' <= out[0] && out[0] <= '9' {
		out = "m_" + out
	}
	if pythonKeywords[out] {
		out += "_"
	}
	return out
}

// slug keeps letters and digits of s, lower case, other runs as "_".
func slug(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		} else {
			sep = true
		}
	}
	return b.String()
}

// itemSlug is an equation or algorithm number in a file name: "3.1" →
// "3_1", "MHA" → "mha".
func itemSlug(n string) string { return firstNonEmpty(slug(n), "x") }

// labelSlug is a label without its prefix: "eq:gate-norm" → "gate_norm".
func labelSlug(l string) string {
	if i := strings.LastIndexByte(l, ':'); i >= 0 {
		l = l[i+1:]
	}
	return truncSlug(slug(l))
}

// symbolSlug is a symbol as a name: "\mathcal{L}_{\mathrm{LS}}" → "l_ls",
// "\hat{x}" → "hat_x".
func symbolSlug(s string) string {
	for _, f := range []string{`\mathrm`, `\mathcal`, `\mathbb`, `\mathfrak`, `\mathscr`} {
		s = strings.ReplaceAll(s, f, " ")
	}
	s = strings.ReplaceAll(s, "'", " prime")
	return truncSlug(slug(s))
}

func truncSlug(s string) string {
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "_")
	}
	return s
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// unique returns s, or s with "_2", "_3" ... appended when it is taken, and
// takes it.
func unique(s string, used map[string]bool) string {
	out := s
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s_%d", s, n)
	}
	used[out] = true
	return out
}
