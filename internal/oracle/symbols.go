package oracle

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/reprohq/repro/doc"
	"github.com/reprohq/repro/internal/texmath"
)

// Symbol kinds. A parameter of an oracle has one of them.
const (
	KindScalar   = "scalar"   // a number: Greek lower-case letters, stated scalars
	KindVector   = "vector"   // bold lower-case, stated vectors (x ∈ R^d)
	KindMatrix   = "matrix"   // bold or plain upper-case, stated matrices (W ∈ R^{d×k})
	KindTensor   = "tensor"   // an array of unknown rank: broadcasting, elementwise
	KindInt      = "int"      // a count or a size: sum bounds, "N is the number of"
	KindIndex    = "index"    // an index: "i is the index of"
	KindFunction = "function" // a function passed in: f(x) where f is not known
)

// Entry is what a paper says about one symbol.
type Entry struct {
	Symbol string // the symbol as LaTeX, as declared
	Name   string // its identifier
	Font   string // for a macro's bold letter: only the bold symbol matches
	// Builtin is the helper a function is ("\sigma is the sigmoid
	// function": _sigmoid).
	Builtin string
	Kind    string   // one of the Kind constants
	Shape   []string // dimension names, when stated (W ∈ R^{d×k} gives d, k)
	Source  string   // "macro", "context", "declared", "equation"
	Quote   string   // the words it came from
}

// Symbols is the symbol table of one paper: what its macros, its "where x
// is ..." sentences and its own definitions say about its symbols. The
// oracle generator reads it to decide a symbol's kind (scalar, vector,
// matrix, int, function) and so between matrix and elementwise products and
// between a call and a multiplication.
//
// Look-ups go from the most specific name to the least: W_q, then W.
type Symbols struct {
	entries map[string]*Entry
	order   []string
	// defined are the functions the paper defines (f(x) = ...); called are
	// the symbols it applies to a single symbol or to several arguments
	// somewhere (\Phi(x)): both are calls wherever they are applied.
	defined map[string]bool
	called  map[string]bool
}

// NewSymbols starts a table from the paper's macros: a macro for a bold
// letter (\newcommand{\vx}{\mathbf{x}}) makes a vector or a matrix, an
// operator (\DeclareMathOperator) a function.
func NewSymbols(macros []doc.Macro) *Symbols {
	s := &Symbols{entries: map[string]*Entry{}, defined: map[string]bool{}, called: map[string]bool{}}
	for _, m := range macros {
		s.addMacro(m)
	}
	return s
}

func (s *Symbols) addMacro(m doc.Macro) {
	if m.Params > 0 || m.Kind == "environment" {
		return
	}
	body := strings.TrimSpace(m.Body)
	if body == "" {
		return
	}
	if m.Kind == "operator" {
		word := strings.TrimSpace(strings.Trim(body, "{}"))
		if word != "" && !strings.ContainsAny(word, `\{}$`) {
			s.put(&Entry{Symbol: m.Name, Name: ident(word), Kind: KindFunction, Source: "macro", Quote: m.Name + " = " + body})
		}
		return
	}
	n, err := texmath.Parse(body)
	if err != nil || n.Kind != texmath.Sym || n.Sub != nil {
		return
	}
	kind := ""
	switch {
	case n.Font == "operatorname":
		kind = KindFunction
	case n.Font == "mathbf" && isUpper(n.Name):
		kind = KindMatrix
	case n.Font == "mathbf" && isLowerLetter(n.Name):
		kind = KindVector
	}
	if kind != "" {
		e := &Entry{Symbol: body, Name: symbolName(n), Kind: kind, Source: "macro", Quote: m.Name + " = " + body}
		if n.Font == "mathbf" {
			e.Font = "mathbf"
		}
		s.put(e)
	}
}

func (s *Symbols) put(e *Entry) {
	if old, ok := s.entries[e.Name]; ok {
		// a statement in the paper's words wins over a macro's font
		if old.Source == "declared" || old.Source == "context" && e.Source == "macro" {
			if len(old.Shape) == 0 && len(e.Shape) > 0 && old.Kind == e.Kind {
				old.Shape = e.Shape
			}
			return
		}
	} else {
		s.order = append(s.order, e.Name)
	}
	s.entries[e.Name] = e
}

// Declare states a symbol's kind and, optionally, its shape as dimension
// names: Declare(`W_q`, KindMatrix, "d", "d_k"). The symbol is LaTeX.
func (s *Symbols) Declare(symbol, kind string, shape ...string) error {
	switch kind {
	case KindScalar, KindVector, KindMatrix, KindTensor, KindInt, KindIndex, KindFunction:
	default:
		return fmt.Errorf("oracle: unknown kind %q", kind)
	}
	n, err := texmath.Parse(symbol)
	if err != nil {
		return err
	}
	name := declName(n)
	if name == "" {
		return fmt.Errorf("oracle: %q is not a symbol", symbol)
	}
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = dimName(d)
	}
	s.put(&Entry{Symbol: symbol, Name: name, Kind: kind, Shape: dims, Source: "declared"})
	return nil
}

// declName is the identifier a declaration is about: a symbol, or the
// function of f(x).
func declName(n *texmath.Node) string {
	switch n.Kind {
	case texmath.Sym:
		return symbolName(n)
	case texmath.Apply:
		if n.Args[0].Kind == texmath.Sym {
			return symbolName(n.Args[0])
		}
	}
	return ""
}

// dimName is the identifier of a dimension given as LaTeX or as a name.
func dimName(d string) string {
	if n, err := texmath.Parse(d); err == nil {
		if n.Kind == texmath.Sym {
			return symbolName(n)
		}
		if n.Kind == texmath.Num {
			return n.Text
		}
	}
	return ident(d)
}

// Lookup returns what the table knows about a symbol identifier, trying the
// name without its subscript parts after the full one (W_q, then W).
func (s *Symbols) Lookup(name string) (*Entry, bool) {
	if s == nil {
		return nil, false
	}
	if e, ok := s.entries[name]; ok {
		return e, true
	}
	return nil, false
}

// lookupSym looks a symbol node up: full name, then without subscript. An
// entry from a macro for a bold letter matches the bold letter only.
func (s *Symbols) lookupSym(n *texmath.Node) (*Entry, bool) {
	if s == nil {
		return nil, false
	}
	match := func(e *Entry) bool { return e.Font == "" || e.Font == n.Font }
	if e, ok := s.entries[symbolName(n)]; ok && match(e) {
		return e, true
	}
	if n.Sub != nil {
		if e, ok := s.entries[ident(baseName(n))]; ok && match(e) {
			return e, true
		}
	}
	return nil, false
}

// Entries returns the table in the order the symbols were added.
func (s *Symbols) Entries() []Entry {
	out := make([]Entry, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, *s.entries[k])
	}
	return out
}

var inlineMath = regexp.MustCompile(`\$([^$]+)\$|\\\((.+?)\\\)`)

// descriptions maps words of a description to a kind; the first that
// occurs decides.
var descriptions = []struct {
	words []string
	kind  string
}{
	{[]string{"step size", "learning rate"}, KindScalar},
	{[]string{"number", "dimension", "dimensionality", "size", "batch size", "length", "horizon", "count", "width", "depth"}, KindInt},
	{[]string{"index", "indices"}, KindIndex},
	{[]string{"matrix", "matrices"}, KindMatrix},
	{[]string{"function", "network", "encoder", "decoder", "model", "mapping", "map", "kernel", "policy", "density", "distribution", "critic", "discriminator", "generator", "activation", "nonlinearity", "operator", "estimator"}, KindFunction},
	{[]string{"vector", "embedding", "gradient", "logits", "representation", "feature"}, KindVector},
	{[]string{"rate", "coefficient", "temperature", "constant", "scalar", "scale", "factor", "probability", "threshold", "hyperparameter", "weight", "margin", "discount", "variance", "standard deviation", "step size", "decay", "parameter", "term"}, KindScalar},
}

var verbs = regexp.MustCompile(`^\s*(,\s*)?(is|are|denotes|denote|represents|represent|stands for|refers to|be|as|the)\b`)

// phraseEnd ends the noun phrase of a description: "the number of ...",
// "a loss function which ...".
var phraseEnd = regexp.MustCompile(`[,;.:()]|\b(of|for|that|which|who|by|with|to|in|on|and|or|where|from|over|at|as|under|when|is|are|we|it)\b`)

// describe reads the kind of a symbol from the words after it: "is the
// number of samples" (int), "is a loss function which ..." (function). Only
// the noun phrase right after the verb counts, so that "is replaced by our
// model" says nothing.
func describe(words string) string {
	w := strings.ToLower(words)
	loc := verbs.FindStringIndex(w)
	if loc == nil {
		return ""
	}
	rest := w[loc[1]:]
	if m := phraseEnd.FindStringIndex(rest); m != nil {
		rest = rest[:m[0]]
	}
	phrase := " " + strings.Join(strings.Fields(rest), " ") + " "
	if len(strings.Fields(phrase)) > 6 {
		return ""
	}
	for _, d := range descriptions {
		for _, word := range d.words {
			if strings.Contains(phrase, " "+strings.TrimSpace(word)+" ") || strings.HasSuffix(strings.TrimSpace(phrase), strings.TrimSpace(word)) {
				return d.kind
			}
		}
	}
	return ""
}

// AddContext reads a sentence around an equation ("where $d_k$ is the
// dimension of the keys and $W \in \mathbb{R}^{d \times k}$") and records
// what it says about symbols: memberships give shapes, descriptions give
// kinds.
func (s *Symbols) AddContext(sentence string) {
	locs := inlineMath.FindAllStringSubmatchIndex(sentence, -1)
	for i, loc := range locs {
		math := sentence[loc[2]:loc[3]]
		if loc[2] < 0 {
			math = sentence[loc[4]:loc[5]]
		}
		quote := strings.TrimSpace(sentence[loc[0]:min(len(sentence), loc[1]+60)])
		if s.membership(math, quote) {
			continue
		}
		// the words after the math, up to the next math
		end := len(sentence)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		words := sentence[loc[1]:end]
		if !verbs.MatchString(words) {
			continue
		}
		kind := describe(words)
		if kind == "" {
			continue
		}
		builtin := ""
		if kind == KindFunction {
			builtin = describedBuiltin(words)
		}
		for _, n := range declaredSyms(math) {
			name := declName(n)
			if name == "" {
				continue
			}
			if n.Kind == texmath.Apply {
				kind = KindFunction
			}
			s.put(&Entry{Symbol: texmath.Format(n), Name: name, Kind: kind, Source: "context", Quote: quote, Builtin: builtin})
		}
	}
}

// declaredSyms returns the symbols of "x", "x, y" or "f(x)".
func declaredSyms(math string) []*texmath.Node {
	n, err := texmath.Parse(math)
	if err != nil {
		return nil
	}
	switch n.Kind {
	case texmath.Sym, texmath.Apply:
		return []*texmath.Node{n}
	case texmath.List, texmath.Seq:
		var out []*texmath.Node
		for _, a := range n.Args {
			if a.Kind == texmath.Sym {
				out = append(out, a)
			}
		}
		return out
	}
	return nil
}

// membership reads "x \in \mathbb{R}^{d}" and "W \in \mathbb{R}^{d \times
// k}": a scalar, a vector or a matrix with its dimensions.
func (s *Symbols) membership(math, quote string) bool {
	n, err := texmath.Parse(math)
	if err != nil {
		return false
	}
	// \alpha, \beta \in \mathbb{R} reads as a list whose last item holds \in
	var syms []*texmath.Node
	if n.Kind == texmath.Seq && len(n.Args) > 1 {
		for _, a := range n.Args[:len(n.Args)-1] {
			if a.Kind != texmath.Sym {
				return false
			}
			syms = append(syms, a)
		}
		n = n.Args[len(n.Args)-1]
	}
	if n.Kind != texmath.Rel || len(n.Rels) != 1 || n.Rels[0] != "in" {
		return false
	}
	lhs, set := n.Args[0], n.Args[1]
	switch lhs.Kind {
	case texmath.Sym:
		syms = append(syms, lhs)
	case texmath.List:
		for _, a := range lhs.Args {
			if a.Kind == texmath.Sym {
				syms = append(syms, a)
			}
		}
	}
	if len(syms) == 0 {
		return false
	}
	kind, shape := setShape(set)
	if kind == "" {
		return false
	}
	for _, sym := range syms {
		s.put(&Entry{Symbol: texmath.Format(sym), Name: symbolName(sym), Kind: kind, Shape: shape, Source: "context", Quote: quote})
	}
	return true
}

// setShape reads \mathbb{R}, \mathbb{R}^d, \mathbb{R}^{d \times k}, \mathbb{N}.
func setShape(set *texmath.Node) (string, []string) {
	isR := func(n *texmath.Node) bool {
		return n.Kind == texmath.Sym && (n.Name == "R" || n.Name == "C") && n.Font == "mathbb"
	}
	switch {
	case isR(set):
		return KindScalar, nil
	case set.Kind == texmath.Sym && set.Font == "mathbb" && (set.Name == "N" || set.Name == "Z"):
		return KindInt, nil
	case set.Kind == texmath.Sym && set.Font == "mathbb" && set.Name == "R" && set.Sub != nil:
		return KindScalar, nil // R_+
	case set.Kind == texmath.Pow && isR(set.Args[0]):
		dims := flattenTimes(set.Args[1])
		names := make([]string, 0, len(dims))
		for _, d := range dims {
			switch d.Kind {
			case texmath.Sym:
				names = append(names, symbolName(d))
			case texmath.Num:
				names = append(names, d.Text)
			default:
				names = append(names, "")
			}
		}
		if slices.Contains(names, "") {
			names = nil
		}
		switch len(dims) {
		case 1:
			return KindVector, names
		case 2:
			return KindMatrix, names
		}
		return KindTensor, names
	}
	return "", nil
}

func flattenTimes(n *texmath.Node) []*texmath.Node {
	if n.Kind == texmath.Binary && (n.Op == "times" || n.Op == "ast" || n.Op == "cdot") {
		return append(flattenTimes(n.Args[0]), flattenTimes(n.Args[1])...)
	}
	return []*texmath.Node{n}
}

// Learn records the functions a paper defines, f(x) = ..., so that f(y)
// elsewhere is read as a call and not as a product.
func (s *Symbols) Learn(eqs []Equation) {
	for _, eq := range eqs {
		n, _ := texmath.Parse(eq.LaTeX)
		texmath.Walk(n, func(m *texmath.Node) bool {
			if m.Kind == texmath.Apply && m.Args[0].Kind == texmath.Sym && len(m.Args) >= 2 {
				if len(m.Args) > 2 || m.Args[1].Kind == texmath.Sym || m.Args[1].Kind == texmath.Num ||
					m.Args[1].Kind == texmath.Rel && slices.Contains(m.Args[1].Rels, "given") {
					s.called[symbolName(m.Args[0])] = true
				}
			}
			if m.Kind != texmath.Rel {
				return true
			}
			for i, r := range m.Rels {
				if !defining[r] {
					continue
				}
				lhs := m.Args[i]
				if r == "=:" {
					lhs = m.Args[i+1]
				}
				if lhs.Kind == texmath.Pow {
					lhs = lhs.Args[0]
				}
				if lhs.Kind == texmath.Apply && lhs.Args[0].Kind == texmath.Sym && callArgs(lhs) {
					name := symbolName(lhs.Args[0])
					s.defined[name] = true
					if _, ok := s.entries[name]; !ok {
						s.put(&Entry{Symbol: texmath.Format(lhs.Args[0]), Name: name, Kind: KindFunction, Source: "equation", Quote: texmath.Format(lhs)})
					}
				}
			}
			return true
		})
	}
}

// callArgs reports whether the arguments of an application on the left of a
// definition look like parameters: symbols, not expressions.
func callArgs(n *texmath.Node) bool {
	if len(n.Args) < 2 {
		return false
	}
	for _, a := range n.Args[1:] {
		switch a.Kind {
		case texmath.Sym, texmath.Rel, texmath.Empty:
		default:
			return false
		}
	}
	return true
}

func isUpper(name string) bool {
	return len(name) == 1 && name[0] >= 'A' && name[0] <= 'Z' || upperGreek[name]
}

func isLowerLetter(name string) bool {
	return len(name) == 1 && name[0] >= 'a' && name[0] <= 'z'
}

var upperGreek = map[string]bool{
	"Gamma": true, "Delta": true, "Theta": true, "Lambda": true, "Xi": true, "Pi": true,
	"Sigma": true, "Upsilon": true, "Phi": true, "Psi": true, "Omega": true,
}

// describedBuiltin maps "the sigmoid function", "the softmax function" to
// the helper that computes it.
func describedBuiltin(words string) string {
	w := strings.ToLower(words)
	if m := phraseEnd.FindStringIndex(w); m != nil && m[0] > 0 {
		if loc := verbs.FindStringIndex(w); loc != nil {
			rest := w[loc[1]:]
			if e := phraseEnd.FindStringIndex(rest); e != nil {
				w = rest[:e[0]]
			} else {
				w = rest
			}
		}
	}
	for _, f := range []struct{ word, helper string }{
		{"logistic sigmoid", "_sigmoid"}, {"sigmoid", "_sigmoid"}, {"logistic", "_sigmoid"},
		{"softmax", "_softmax"}, {"relu", "_relu"}, {"rectified linear", "_relu"}, {"tanh", "np.tanh"},
		{"hyperbolic tangent", "np.tanh"}, {"gelu", "_gelu"}, {"softplus", "_softplus"},
		{"identity function", "_identity"},
	} {
		if strings.Contains(w, f.word) {
			return f.helper
		}
	}
	return ""
}
