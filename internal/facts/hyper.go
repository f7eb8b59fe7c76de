package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hyper is a hyperparameter found in a sentence or a table, before it gets
// its provenance.
type hyper struct {
	name      string
	symbol    string
	val       value
	unit      string
	appliesTo string
}

// part is one word of a sentence for phrase matching: hyphenated words are
// split ("warm-up" gives "warm" and "up"); other tokens are breaks.
type part struct {
	w   string
	tok int
}

func wordParts(toks []token) []part {
	ps := make([]part, 0, len(toks))
	for i, t := range toks {
		switch {
		case t.kind == kWord && !strings.ContainsAny(t.low, "-‐/"):
			ps = append(ps, part{w: t.low, tok: i}) // the common case, without allocating
		case t.kind == kWord:
			for _, w := range strings.FieldsFunc(t.low, func(r rune) bool { return r == '-' || r == '‐' || r == '/' }) {
				ps = append(ps, part{w: w, tok: i})
			}
		case t.kind == kSym && (t.low == `\ell_2` || t.low == `L_2` || t.low == `\ell_{2}`):
			ps = append(ps, part{w: "l2", tok: i})
		default:
			ps = append(ps, part{w: "", tok: i})
		}
	}
	return ps
}

// mention is a hyperparameter name found in a sentence.
type mention struct {
	def      *nameDef
	from, to int // tokens
}

// findMentions finds the vocabulary's phrases in a sentence, longest first,
// without overlaps.
func findMentions(toks []token) []mention {
	ps := wordParts(toks)
	var out []mention
	for i := 0; i < len(ps); {
		best := -1
		var bestRef phraseRef
		if ps[i].w != "" {
			for _, ref := range phraseIndex[ps[i].w] {
				n := len(ref.words)
				if i+n > len(ps) {
					continue
				}
				ok := true
				for k := 0; k < n; k++ {
					if ps[i+k].w != ref.words[k] {
						ok = false
						break
					}
				}
				// A phrase must cover whole tokens: "learning" of
				// "learning-rate" is the phrase's start only if it
				// starts the token.
				if ok && (i > 0 && ps[i-1].tok == ps[i].tok) {
					ok = false
				}
				if ok {
					best, bestRef = n, ref
					break
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		from, to := ps[i].tok, ps[i+best-1].tok+1
		out = append(out, mention{def: bestRef.def, from: from, to: to})
		i += best
	}
	return out
}

// fillers may stand between a name and its value: "a learning rate of",
// "the dropout rate is set to", "weight decay: 0.01".
var fillers = map[string]bool{
	"of": true, "is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"set": true, "to": true, "equal": true, "equals": true, "at": true, "as": true, "a": true,
	"an": true, "the": true, "value": true, "fixed": true, "constant": true, "initially": true,
	"chosen": true, "selected": true, "tuned": true, "kept": true, "we": true, "use": true,
	"used": true, "in": true, "size": true, "with": true, "rate": true, "approximately": true,
	"about": true, "around": true, "roughly": true, "being": true, "starting": true, "start": true,
	"linearly": false, "factor": false, "coefficient": true, "parameter": true, "always": true,
	"then": true, "initialized": true, "initialised": true, "default": true, "by": false,
	"from": true, "over": false, "among": true, "grid": true, "searched": true, "which": true,
	"strength": true, "weight": true, "term": true, "constantly": true, "only": true,
}

// blockers end the search for a value: "reduced by a factor of 10",
// "every 30 epochs".
var blockers = map[string]bool{
	"factor": true, "by": true, "every": true, "after": true, "than": true, "times": true,
	"per": true, "when": true, "if": true, "until": true, "for": true, "each": true,
	"divided": true, "multiplied": true, "decayed": true, "reduced": true, "increased": true,
	"halved": true, "doubled": true, "scaled": true, "warmed": true, "but": true, "while": true,
}

// searchWords mark a sentence that lists the values searched over, so that
// an enumeration is a grid (one item with a list) rather than one item per
// value.
var searchWords = []string{"search", "grid", "tune", "tuned", "tuning", "tried", "tested", "swept",
	"sweep", "considered", "explored", "varied", "candidates", "among", "range", "ranges", "values"}

// extractSentence finds the hyperparameters a sentence states. ctx is the
// lower-cased text around the sentence (its paragraph and the one before):
// a one-letter symbol such as $p$ takes the name the glossary gives it only
// when that name's words are near ("dropout rate $p$ ... $p = 0.1$").
func extractSentence(s string, g *glossary, ctx string) []hyper {
	return extractTokens(s, lex(s), g, ctx)
}

// extractTokens is extractSentence on a sentence already split into tokens.
func extractTokens(s string, toks []token, g *glossary, ctx string) []hyper {
	if len(toks) > maxSentenceTokens {
		toks = toks[:maxSentenceTokens] // not prose: a run-on list of numbers
	}
	if len(toks) == 0 {
		return nil
	}
	e := &sentenceState{s: s, toks: toks, used: make([]bool, len(toks)), g: g, ctx: ctx}
	for _, t := range toks {
		if t.kind == kWord {
			for _, w := range searchWords {
				if t.low == w {
					e.grid = true
				}
			}
			switch t.low {
			case "respectively":
				e.respectively = true
			case "ema", "moving":
				e.ema = true
			}
			if theoryWords[t.low] {
				e.theory = true
			}
		}
	}
	e.mentions = findMentions(toks)
	e.mentionAt = map[int]bool{}
	for _, m := range e.mentions {
		e.mentionAt[m.from] = true
		for k := m.from; k < m.to; k++ {
			e.used[k] = true
		}
	}
	for mi := range e.mentions {
		e.fromMention(mi)
	}
	e.counts()
	e.symbols()
	e.imageSizes()
	e.out = append(e.out, textValues(s, toks)...)
	return e.out
}

// maxSentenceTokens bounds the work on one sentence; real sentences are
// far shorter.
const maxSentenceTokens = 400

// sentenceState is the work of extractSentence on one sentence.
type sentenceState struct {
	s                  string
	toks               []token
	used               []bool
	g                  *glossary
	ctx                string
	grid, respectively bool
	ema                bool
	theory             bool // the sentence reasons ("if", "lemma", "regret"): weak names are off
	mentions           []mention
	mentionAt          map[int]bool
	out                []hyper
}

// emit records a hyperparameter and marks its tokens used. A plain
// enumeration ("0.001 and 0.0001") is one item per value unless the
// sentence speaks of a search.
func (e *sentenceState) emit(h hyper) {
	if h.appliesTo == "" {
		if d := defByName(h.name); d != nil {
			h.appliesTo = d.appliesTo
		} else {
			h.appliesTo = toMethod
		}
	}
	for k := h.val.from; k < h.val.to && k < len(e.used); k++ {
		e.used[k] = true
	}
	if h.val.multi != nil && (!e.grid || e.respectively) {
		for k, f := range h.val.multi {
			hh := h
			hh.val = value{v: f, kind: kindNumber, raw: h.val.multiRaw[k], from: h.val.from, to: h.val.to}
			e.out = append(e.out, hh)
		}
		return
	}
	h.val.multi, h.val.multiRaw = nil, nil
	e.out = append(e.out, h)
}

// countLike reports whether a name's phrase is itself a count noun
// ("layers", "warm-up steps"), whose number usually comes first.
func countLike(toks []token, m mention) bool {
	last := toks[m.to-1].low
	if k := strings.LastIndexAny(last, "-‐"); k >= 0 {
		last = last[k+1:]
	}
	_, ok := countNouns[last]
	return ok
}

// fromMention finds the value of the vocabulary's phrase mentions[mi]:
// after it ("a learning rate of 3e-4", "hidden size $d = 256$") or before
// it ("0.1 dropout", "$L = 4$ layers").
func (e *sentenceState) fromMention(mi int) {
	m := e.mentions[mi]
	def := m.def
	if def.text {
		if def.name == "lr_schedule" {
			// "the cosine schedule, starting at 0.1": the peak learning rate.
			if d := defByName("learning_rate"); d != nil {
				e.forward(mi, d, true)
			}
		}
		return
	}
	if def.name == "lr_decay" && e.ema {
		def = defByName("ema_decay")
	}
	if countLike(e.toks, m) && e.backward(m, def) {
		return
	}
	if e.forward(mi, def, false) {
		return
	}
	e.backward(m, def)
}

// forward looks for the value after a mention. With needStart, only after
// "starting at" or "initial".
func (e *sentenceState) forward(mi int, def *nameDef, needStart bool) bool {
	toks := e.toks
	m := e.mentions[mi]
	sym := ""
	j := m.to
	budget := 3 // words that are neither fillers nor blockers
	started := false
	if countLike(toks, m) {
		// "layers of size 100", "2 layers of 20 nodes": what follows
		// "of" is each layer's size; a count comes before its noun, and
		// after it only as "layers: 4" or "number of layers is 12".
		budget = 0
		if j >= len(toks) {
			return false
		}
		switch {
		case isWord(toks[j], "of"):
			if def.name != "num_layers" {
				return false
			}
			def = defByName("hidden_size")
		case isOp(toks[j], "=") || isOp(toks[j], ":") || isPunct(toks[j], ":") || isWord(toks[j], "is") ||
			isWord(toks[j], "are") || isWord(toks[j], "was") || isWord(toks[j], "were") || isWord(toks[j], "set") || isPunct(toks[j], "("):
		default:
			return false
		}
	}
	for steps := 0; j < len(toks) && steps < 12; steps++ {
		t := toks[j]
		if e.mentionAt[j] && j != m.to || mi+1 < len(e.mentions) && j >= e.mentions[mi+1].from {
			return false
		}
		switch {
		case t.kind == kSym:
			// "momentum: $\beta_1 = 0.9$": a symbol with a name of its own.
			if n := strongSymbols[t.low]; n != "" && n != def.name {
				return false
			}
			if j+1 < len(toks) && (isOp(toks[j+1], "=") || isOp(toks[j+1], "∈")) {
				sym = symbolOut(t)
				j += 2
				continue
			}
			if sym == "" && j+1 < len(toks) && (isPunct(toks[j+1], ")") || isPunct(toks[j+1], ",") || isPunct(toks[j+1], ":") || isOp(toks[j+1], ":") || toks[j+1].kind == kWord) {
				// "learning rate $\eta$ of 0.1", "temperature $\tau$)".
				sym = symbolOut(t)
				j++
				continue
			}
			return false
		case t.kind == kNum || isPunct(t, "{") || isPunct(t, "[") || isWord(t, "between") || isWord(t, "from") && j+1 < len(toks) && isNum(toks[j+1]):
			if needStart && !started {
				return false
			}
			// "epoch 4", "layer 2": an index, not a count.
			if j == m.to && indexNouns[toks[m.to-1].low] {
				return false
			}
			v, ok := parseValue(e.s, toks, j)
			if !ok || anyUsed(e.used, v.from, v.to) || !plausible(def, v) || formulaAfter(toks, v.to) || vetoUnit(toks, v.to, def) || isDomain(v) {
				return false
			}
			e.emit(hyper{name: def.name, symbol: sym, val: v, unit: unitAfter(toks, v.to, def)})
			return true
		case t.kind == kWord && (t.low == "starting" || t.low == "start" || t.low == "initial" || t.low == "peak" || t.low == "initially"):
			started = true
			j++
			continue
		case t.kind == kWord && fillers[t.low]:
			j++
			continue
		case isOp(t, "=") || isOp(t, ":") || isPunct(t, ":") || isPunct(t, "(") || isOp(t, "≈") || isPunct(t, "~") || isOp(t, "∈"):
			j++
			continue
		case needStart && isPunct(t, ","):
			j++
			continue
		case t.kind == kWord && !blockers[t.low] && budget > 0 && !needStart && !looksVerb(t.low):
			budget--
			j++
			continue
		case t.kind == kWord && t.low == "for" && !needStart:
			// "batch sizes for CIFAR-10 and for ImageNet are 128 and 4096":
			// a qualifier naming what the value is for.
			k := skipQualifier(toks, j)
			if k == j {
				return false
			}
			j = k
			continue
		}
		return false
	}
	return false
}

// indexNouns followed directly by a number name one of several: "epoch 4".
var indexNouns = map[string]bool{
	"epoch": true, "layer": true, "block": true, "step": true, "iteration": true, "head": true,
	"stage": true, "round": true, "run": true, "seed": true, "context": true,
}

// skipQualifier skips "for CIFAR-10 and for ImageNet" at toks[j] and
// returns the position after it, or j.
func skipQualifier(toks []token, j int) int {
	k := j
	for k < len(toks) && isWord(toks[k], "for") {
		n := k + 1
		for n < len(toks) && n <= k+3 && (toks[n].kind == kWord && isUpperStart(toks[n].text) || isWord(toks[n], "the")) {
			n++
		}
		if n == k+1 {
			return j
		}
		k = n
		if k < len(toks) && isWord(toks[k], "and") && k+1 < len(toks) && isWord(toks[k+1], "for") {
			k++
		}
	}
	return k
}

// backward takes the number just before a mention: "0.1 dropout",
// "$L = 4$ layers", "4000 warm-up steps".
func (e *sentenceState) backward(m mention, def *nameDef) bool {
	toks := e.toks
	b := m.from - 1
	if b >= 0 && isPunct(toks[b], "-") {
		b--
	}
	if b < 0 || toks[b].kind != kNum || e.used[b] || !(def.integer || !toks[b].isInt || toks[b].num < 1) {
		return false
	}
	if blockedBefore(toks, b) {
		return false
	}
	v := value{v: toks[b].num, kind: kindNumber, raw: rawSpan(e.s, toks, b, b+1), from: b, to: b + 1}
	if !plausible(def, v) {
		return false
	}
	sym := ""
	if b >= 2 && isOp(toks[b-1], "=") && toks[b-2].kind == kSym {
		sym = symbolOut(toks[b-2])
		e.used[b-2] = true
	}
	e.emit(hyper{name: def.name, symbol: sym, val: v})
	return true
}

// counts finds counts and their nouns: "4 layers", "trained for 100k
// steps", "five seeds", "1 and 2 layers".
func (e *sentenceState) counts() {
	toks := e.toks
	for i, t := range toks {
		if e.used[i] || !(t.kind == kNum || t.numWord) {
			continue
		}
		// "1 and 2 layers", "250,000 and 5,000,000 time-steps": the noun
		// after the last number counts them all.
		nums := []int{i}
		last := i
		for k := i + 1; k+1 < len(toks) && len(nums) < 8; {
			if (isWord(toks[k], "and") || isWord(toks[k], "or") || isPunct(toks[k], ",")) && toks[k+1].kind == kNum && toks[k+1].isInt == t.isInt {
				nums = append(nums, k+1)
				last = k + 1
				k += 2
				continue
			}
			break
		}
		name, unit, next := countNoun(toks, last)
		if name == "" {
			continue
		}
		if t.numWord && (t.low == "one" || !(name == "num_layers" || name == "num_heads" || name == "num_seeds" || name == "epochs")) {
			continue
		}
		if !t.isInt && !t.numWord && t.num < 1e3 {
			continue
		}
		if blockedBefore(toks, i) {
			continue
		}
		switch name {
		case "training_steps", "epochs", "training_frames", "episodes":
			name = stepsName(toks, i, name)
			if name == "" {
				continue
			}
		case "num_parameters":
			if t.num < 1e5 {
				continue
			}
		}
		sym := ""
		if i >= 2 && isOp(toks[i-1], "=") && toks[i-2].kind == kSym {
			sym = symbolOut(toks[i-2])
			e.used[i-2] = true
		}
		for _, k := range nums {
			v := value{v: toks[k].num, kind: kindNumber, raw: rawSpan(e.s, toks, k, k+1), from: k, to: k + 1}
			if toks[k].numWord {
				v.raw = toks[k].text
			}
			e.emit(hyper{name: name, symbol: sym, val: v, unit: unit})
		}
		for k := i; k < next; k++ {
			e.used[k] = true
		}
	}
}

// symbols finds symbols set to values: "$\lambda = 0.5$", "$\beta_1 =
// 0.9$", "τ = 0.1", "downsampling ratio $f=16$".
func (e *sentenceState) symbols() {
	toks := e.toks
	for i := 0; i+2 < len(toks); i++ {
		t := toks[i]
		if t.kind != kSym || e.used[i] || e.used[i+2] || !(isOp(toks[i+1], "=") || isOp(toks[i+1], "∈")) {
			continue
		}
		if i > 0 && (toks[i-1].kind == kSym || toks[i-1].kind == kNum || isOp(toks[i-1], "=") || isPunct(toks[i-1], "+") || isPunct(toks[i-1], "-") || isPunct(toks[i-1], "/")) && toks[i-1].math {
			continue // part of a formula: $x + y = 1$
		}
		v, ok := parseValue(e.s, toks, i+2)
		if !ok || formulaAfter(toks, v.to) || isOp(toks[i+1], "∈") && v.kind == kindNumber || isDomain(v) {
			continue
		}
		name := e.symbolName(i)
		if name == "" {
			continue
		}
		if d := defByName(name); d != nil && !plausible(d, v) {
			continue
		}
		e.used[i] = true
		e.emit(hyper{name: name, symbol: symbolOut(t), val: v})
	}
}

// symbolName names the symbol at toks[i]: the paper's table or the
// vocabulary (through the glossary), else the noun phrase just before it
// ("the target $t = .499$"), else the glossary's weaker names, the symbols
// every paper shares and the Greek letter itself.
func (e *sentenceState) symbolName(i int) string {
	sym := e.toks[i].low
	base := symBase(sym)
	if variables[base] {
		return ""
	}
	bare := isBareLatin(sym)
	if n, p := e.g.names[sym], e.g.prio[sym]; n != "" && p >= prioVocab {
		if !bare || e.near(n) {
			return n
		}
	}
	if n := strongSymbols[sym]; n != "" {
		return n
	}
	// Weaker names, from nearby words or the letter itself: not in a
	// sentence that reasons, and not for an indexed variable ($y_i = 0$).
	if e.theory || indexed(sym) {
		return ""
	}
	if np := nounPhraseBefore(e.toks, i); np != "" {
		return np
	}
	if bare {
		return ""
	}
	return e.g.name(sym)
}

// theoryWords mark a sentence that reasons about symbols rather than
// setting them: "if $\gamma = 1$", "Lemma 2 with $\epsilon = 1$".
var theoryWords = map[string]bool{
	"lemma": true, "theorem": true, "proposition": true, "corollary": true, "proof": true,
	"prove": true, "proves": true, "regret": true, "bound": true, "bounded": true, "converge": true,
	"converges": true, "convergence": true, "if": true, "let": true, "suppose": true, "assume": true,
	"assuming": true, "wlog": true, "iff": true, "limit": true, "asymptotically": true, "implies": true,
	"hence": true, "whenever": true, "reduces": true, "recovers": true, "equivalent": true,
	"definition": true, "define": true, "defined": true, "denote": true, "denotes": true,
}

// indexed reports whether a symbol carries an index subscript ($y_i$,
// $x_t$): a variable of a formula.
func indexed(sym string) bool {
	k := strings.IndexByte(sym, '_')
	if k < 0 || k+2 != len(sym) {
		return false
	}
	return strings.IndexByte("ijklmnstuv", sym[k+1]) >= 0
}

// near reports whether the words of a name occur around the sentence.
func (e *sentenceState) near(name string) bool {
	if e.ctx == "" {
		return true
	}
	if d := defByName(name); d != nil {
		for _, p := range d.phrases {
			if containsWord(e.ctx, p) || containsWord(e.ctx, strings.ReplaceAll(p, " ", "-")) {
				return true
			}
		}
		return false
	}
	return containsWord(e.ctx, strings.ReplaceAll(name, "_", " "))
}

// imageSizes finds image sizes: "$224 \times 224$ images", "images of
// size 512x512", "at a resolution of 256 × 256".
func (e *sentenceState) imageSizes() {
	toks := e.toks
	for i := range toks {
		if e.used[i] || !isNum(toks[i]) {
			continue
		}
		v, ok := parseValue(e.s, toks, i)
		if !ok || v.kind != kindText {
			continue
		}
		img := false
		// "image size 224 × 224", "images of size 512x512", "a resolution
		// of 256 × 256"; not "spatial size 16 × 16".
		k := i - 1
		if k >= 0 && (isWord(toks[k], "of") || isWord(toks[k], "to") || isWord(toks[k], "at")) {
			k--
		}
		if k >= 0 && toks[k].kind == kWord {
			switch toks[k].low {
			case "size", "resolution", "images", "image", "resolutions", "sizes":
				img = !(k > 0 && toks[k-1].kind == kWord && notImageSize[toks[k-1].low])
			}
		}
		if k := v.to; k < len(toks) && toks[k].kind == kWord {
			switch toks[k].low {
			case "pixel", "pixels", "images", "image", "resolution", "px":
				img = true
			}
		}
		if img {
			e.emit(hyper{name: "image_size", val: v})
		}
	}
}

// notImageSize qualify a size that is not an image's.
var notImageSize = map[string]bool{
	"spatial": true, "latent": true, "token": true, "patch": true, "kernel": true, "filter": true,
	"window": true, "feature": true, "map": true, "grid": true, "batch": true, "output": true,
}

// symBase is a symbol without its scripts: \lambda_1 → \lambda.
func symBase(sym string) string {
	if k := strings.IndexAny(sym, "_^'"); k > 0 {
		return sym[:k]
	}
	return sym
}

// isBareLatin reports whether a symbol is a single Latin letter without
// scripts: p, t, k (variables more often than settings).
func isBareLatin(sym string) bool {
	return len(sym) == 1 && isLetter(sym[0])
}

// nounPhraseBefore returns the noun phrase just before toks[i] in snake
// case ("downsampling ratio $f = 16$" → downsampling_ratio), or "".
func nounPhraseBefore(toks []token, i int) string {
	var words []string
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		w := toks[k]
		if w.kind != kWord || w.math || npStop[w.low] || w.numWord || looksVerb(w.low) && (k == i-1 || !strings.HasSuffix(w.low, "ing")) {
			break
		}
		words = append([]string{w.low}, words...)
	}
	if len(words) == 0 {
		return ""
	}
	if len(words) == 1 && (genericNouns[words[0]] || len(words[0]) < 4) {
		return ""
	}
	for _, m := range findMentions(wordTokens(words)) {
		if m.to == len(words) {
			return m.def.name
		}
	}
	return strings.Join(words, "_")
}

func wordTokens(words []string) []token {
	toks := make([]token, len(words))
	for i, w := range words {
		toks[i] = token{kind: kWord, low: w, text: w}
	}
	return toks
}

// isDomain reports whether a range is a definition's domain, [0, 1],
// rather than a setting.
func isDomain(v value) bool {
	if v.kind != kindRange {
		return false
	}
	x, _ := v.v.([]float64)
	return len(x) == 2 && x[0] == 0 && (x[1] == 1 || x[1] == 0)
}

// vetoUnit reports whether the word after a value shows it measures
// something else: "24 to 72 hours", "3 GPUs", "0.4 points".
func vetoUnit(toks []token, j int, def *nameDef) bool {
	if j >= len(toks) || toks[j].kind != kWord {
		return false
	}
	switch toks[j].low {
	case "hours", "hour", "minutes", "minute", "seconds", "second", "days", "day", "weeks", "gpus",
		"gpu", "tpus", "tpu", "cores", "points", "point", "times", "percent", "gb", "mb", "tb",
		"fps", "ms", "h", "s", "languages", "classes", "agents", "workers", "actors", "environments",
		"parallel", "dimensional", "fold":
		return true
	case "examples", "sentences", "images", "documents", "samples", "sequences", "pairs", "episodes", "trajectories":
		// "a batch size of 64 examples" is a batch; "a dropout of 0.1
		// images" is not a dropout.
		return def.name != "batch_size" && def.name != "replay_buffer_size"
	}
	if def.name == "image_size" && (toks[j].low == "tokens" || toks[j].low == "latent" || toks[j].low == "patches") {
		return true
	}
	// "2 layers of 10 units": the 10 counts units, not layers.
	if name, _, _ := countNoun(toks, j-1); name != "" && name != def.name {
		steps := func(n string) bool {
			return n == "training_steps" || n == "warmup_steps" || n == "steps_per_epoch" || n == "epochs" || n == "training_frames"
		}
		return !(steps(name) && steps(def.name))
	}
	return false
}

// symbolOut is a symbol as written, without the spaces.
func symbolOut(t token) string { return strings.TrimSpace(t.low) }

func anyUsed(used []bool, a, b int) bool {
	for k := a; k < b && k < len(used); k++ {
		if used[k] {
			return true
		}
	}
	return false
}

// formulaAfter reports whether the tokens after a value continue a formula
// ("$t = 1 - x$", "$n = 2k$").
func formulaAfter(toks []token, j int) bool {
	if j >= len(toks) {
		return false
	}
	t := toks[j]
	// "$t = 0, \dots, K$": an index running over a range.
	if isPunct(t, ",") && j+1 < len(toks) && (isPunct(toks[j+1], "…") || isPunct(toks[j+1], ".")) {
		return true
	}
	if !t.math {
		return false
	}
	if t.kind == kSym || t.kind == kOp && t.low != "," || t.kind == kPunct && (t.low == "+" || t.low == "-" || t.low == "/" || t.low == "*" || t.low == "^" || t.low == "!") {
		return true
	}
	return false
}

// plausible rejects values that cannot be the named hyperparameter: a
// fraction of a layer, a dropout above one.
func plausible(d *nameDef, v value) bool {
	nums := numbersOf(v)
	for _, f := range nums {
		if d.integer && f != float64(int64(f)) {
			return false
		}
		if f < 0 && d.name != "gate_bias" {
			switch d.name {
			case "learning_rate", "batch_size", "weight_decay", "dropout", "momentum", "epochs",
				"training_steps", "warmup_steps", "num_layers", "num_heads", "hidden_size":
				return false
			}
		}
		switch d.name {
		case "dropout", "momentum", "beta1", "beta2", "label_smoothing", "discount", "ema_decay":
			if f > 1 {
				return false
			}
		case "learning_rate", "final_learning_rate":
			if f > 100 || f <= 0 {
				return false
			}
		case "image_size":
			if f < 8 || f > 8192 {
				return false
			}
		case "batch_size", "num_layers", "num_heads", "hidden_size", "epochs", "ffn_size", "embedding_dim":
			if f < 1 {
				return false
			}
		}
	}
	return len(nums) > 0 || v.kind == kindText
}

func numbersOf(v value) []float64 {
	switch x := v.v.(type) {
	case float64:
		return []float64{x}
	case []float64:
		return x
	}
	return nil
}

// blockedBefore reports whether the word before a count makes it something
// else than a setting: "the first 4 layers", "every 10 epochs", "24 of 34
// layers".
func blockedBefore(toks []token, i int) bool {
	if i >= 2 && isWord(toks[i-1], "of") && isNum(toks[i-2]) {
		return true
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := toks[k]
		if t.kind == kOp || t.kind == kSym || t.kind == kPunct && t.low != "(" {
			if isOp(t, "=") {
				continue
			}
			return false
		}
		if t.kind != kWord {
			return false
		}
		switch t.low {
		case "first", "last", "top", "bottom", "final", "early", "earliest", "lowest", "highest",
			"every", "after", "each", "within", "per", "than", "previous", "next", "remaining",
			"around", "times", "x", "over":
			if t.low == "over" {
				return false
			}
			return true
		case "about", "approximately", "roughly", "only", "additional", "another", "up", "to", "a",
			"total", "of", "for", "with", "using", "use", "has", "have", "and", "contains", "consists":
			continue
		}
		return false
	}
	return false
}

// countNoun returns the name given by the noun after a count at toks[i]
// ("4 layers", "256 hidden units", "2-layer", "19 ResNet blocks", "24
// decoding steps"), its unit, and the token after the noun.
func countNoun(toks []token, i int) (name, unit string, next int) {
	j := i + 1
	if j < len(toks) && isPunct(toks[j], "-") {
		j++
	}
	sampling := false
	proper := 0
	result := func(nm, noun string, next int) (string, string, int) {
		if sampling && nm == "training_steps" {
			return "sampling_steps", "", next
		}
		return nm, unitOf(nm, noun), next
	}
	for n := 0; n < 3 && j < len(toks); n++ {
		t := toks[j]
		if t.kind != kWord {
			return "", "", 0
		}
		w := t.low
		// A hyphenated noun: "2-layer", "time-steps", "fully-connected layers".
		if k := strings.LastIndexAny(w, "-‐"); k >= 0 {
			if nm, ok := countNouns[w[k+1:]]; ok && (countModifiers[w[:k]] || samplingModifiers[w[:k]]) {
				sampling = sampling || samplingModifiers[w[:k]]
				return result(nm, w[k+1:], j+1)
			}
		}
		if nm, ok := countNouns[w]; ok {
			return result(nm, w, j+1)
		}
		switch {
		case samplingModifiers[w]:
			sampling = true
		case countModifiers[w] || strings.HasSuffix(w, "-connected"):
		case isUpperStart(t.text) && proper == 0 && n == 0:
			proper++ // "19 ResNet blocks", "48 Transformer layers"
		default:
			return "", "", 0
		}
		j++
	}
	return "", "", 0
}

// unitOf gives the unit of a count named by a noun when the name does not
// say it: training_steps counted in iterations or updates.
func unitOf(name, noun string) string {
	switch name {
	case "training_steps", "warmup_steps":
		if strings.HasPrefix(noun, "iteration") {
			return "iterations"
		}
		if strings.HasPrefix(noun, "update") {
			return "updates"
		}
		if strings.HasPrefix(noun, "timestep") {
			return "timesteps"
		}
	}
	return ""
}

// unitAfter returns the unit word after a value when it says more than the
// name: "warm-up of 4000 steps" (none), "1M frames" (frames).
func unitAfter(toks []token, j int, d *nameDef) string {
	if j >= len(toks) || toks[j].kind != kWord {
		return ""
	}
	switch toks[j].low {
	case "frames", "tokens", "iterations", "updates", "timesteps", "pixels", "images", "samples", "examples":
		return toks[j].low
	}
	return ""
}

// stepsName decides what a number of steps, epochs or frames is: the
// warm-up's length when the clause speaks of a warm-up, the training length
// after "for", "of" or a training verb, and nothing otherwise ("evaluated
// at 10 epochs").
func stepsName(toks []token, i int, name string) string {
	a, _ := clause(toks, i)
	warm := false
	train := false
	for k := i - 1; k >= a && k >= i-12; k-- {
		t := toks[k]
		if t.kind != kWord {
			continue
		}
		if strings.HasPrefix(t.low, "warm") {
			warm = true
		}
		if strings.HasPrefix(t.low, "train") || strings.HasPrefix(t.low, "run") || strings.HasPrefix(t.low, "fine-tun") ||
			strings.HasPrefix(t.low, "finetun") || strings.HasPrefix(t.low, "optimi") || strings.HasPrefix(t.low, "learn") ||
			strings.HasPrefix(t.low, "pre-train") || strings.HasPrefix(t.low, "pretrain") {
			train = true
		}
	}
	// The noun after the count may itself say "warm-up steps".
	for k := i + 1; k < len(toks) && k <= i+3; k++ {
		if toks[k].kind == kWord && strings.HasPrefix(toks[k].low, "warm") {
			warm = true
		}
	}
	prev := ""
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		t := toks[k]
		if t.kind == kWord {
			switch t.low {
			case "about", "approximately", "roughly", "only", "another", "additional", "up", "total", "a", "further", "than", "more":
				continue
			}
			prev = t.low
			break
		}
		if t.kind == kOp || t.kind == kSym {
			continue
		}
		break
	}
	// "each of which consists of 2500 steps", "2500 steps per epoch".
	if name == "training_steps" {
		for k := i + 1; k < len(toks) && k <= i+4; k++ {
			if isWord(toks[k], "per") || isWord(toks[k], "each") {
				if k+1 < len(toks) && strings.HasPrefix(toks[k+1].low, "epoch") {
					return "steps_per_epoch"
				}
			}
		}
		epoch := false
		for _, t := range toks {
			if t.kind == kWord && strings.HasPrefix(t.low, "epoch") {
				epoch = true
			}
		}
		for k := i - 1; k >= 0 && k >= i-6 && epoch; k-- {
			if isWord(toks[k], "each") {
				return "steps_per_epoch"
			}
		}
	}
	if warm && (name == "training_steps" || name == "epochs") {
		return "warmup_steps"
	}
	switch prev {
	case "for", "of", "to", "during", "over", "with":
		if name == "episodes" && prev != "for" && prev != "over" {
			return name
		}
		return name
	}
	if train {
		return name
	}
	return ""
}

// textValues finds the hyperparameters whose values are words: the
// optimizer ("We train with AdamW", "optimizer: Adam"), the learning-rate
// schedule ("a cosine schedule") and the activation ("ReLU activations").
func textValues(s string, toks []token) []hyper {
	var out []hyper
	ps := wordParts(toks)
	optimizerMentioned := false
	for _, p := range ps {
		if p.w == "optimizer" || p.w == "optimiser" || p.w == "optimizers" {
			optimizerMentioned = true
		}
	}
	seen := map[string]bool{}
	for k, t := range toks {
		if t.kind != kWord {
			continue
		}
		canon, ok := optimizers[t.low]
		if !ok {
			continue
		}
		// Adam the optimizer, not Adam the author.
		if k+1 < len(toks) && (isWord(toks[k+1], "et") || isPunct(toks[k+1], ".") && k+2 < len(toks) && toks[k+2].kind == kWord) {
			continue
		}
		if t.low == "lamb" || t.low == "lion" || t.low == "sophia" || t.low == "yogi" {
			if t.text == strings.ToLower(t.text) {
				continue
			}
		}
		prev, next := "", ""
		if k > 0 && toks[k-1].kind == kWord {
			prev = toks[k-1].low
		}
		if k > 1 && toks[k-1].kind == kWord && (toks[k-1].low == "the" || toks[k-1].low == "an" || toks[k-1].low == "a") && toks[k-2].kind == kWord {
			prev = toks[k-2].low
		}
		if k+1 < len(toks) && toks[k+1].kind == kWord {
			next = toks[k+1].low
		}
		good := optimizerMentioned && k > 0 && (isPunct(toks[k-1], ":") || isOp(toks[k-1], ":") || isOp(toks[k-1], "=") || isWord(toks[k-1], "is") || isWord(toks[k-1], "was"))
		switch prev {
		case "with", "using", "use", "uses", "used", "via", "by", "adopt", "adopted", "employ", "employed",
			"employing", "choose", "chose", "apply", "applied", "train", "trained", "optimize", "optimized", "optimise", "optimised":
			good = true
		}
		switch next {
		case "optimizer", "optimiser", "optimization", "algorithm", "solver", "with":
			good = true
		}
		if !good || seen[canon] {
			continue
		}
		seen[canon] = true
		out = append(out, hyper{name: "optimizer", val: value{v: canon, kind: kindText, raw: t.text, from: k, to: k + 1}, appliesTo: toOptimizer})
	}
	// Schedules: "cosine schedule", "cosine learning-rate decay", "linearly decayed".
	for i := 0; i < len(ps); i++ {
		w := ps[i].w
		kindWord, ok := schedules[w]
		switch w {
		case "linearly":
			kindWord, ok = "linear", true
		case "exponentially":
			kindWord, ok = "exponential", true
		}
		if !ok {
			continue
		}
		if w == "inverse" && !(i+2 < len(ps) && ps[i+1].w == "square" && ps[i+2].w == "root") {
			continue
		}
		for k := i + 1; k < len(ps) && k <= i+4; k++ {
			x := ps[k].w
			if x == "" {
				break
			}
			if k > i+1 && !(x == "schedule" || x == "scheduler" || x == "decay" || x == "decayed" || x == "annealing" || x == "annealed" || x == "anneal" || x == "schedules") {
				// Only "learning rate" may stand between: "cosine learning
				// rate schedule"; "step-size and momentum schedules" is
				// not a step schedule.
				if !(x == "learning" || x == "rate" || x == "lr" || x == "root") || w == "step" && x != "learning" && x != "rate" && x != "lr" {
					if !(w == "inverse" && (x == "square" || x == "root")) {
						break
					}
				}
			}
			if x == "schedule" || x == "scheduler" || x == "decay" || x == "decayed" || x == "annealing" || x == "annealed" || x == "anneal" || x == "schedules" {
				if (w == "linearly" || w == "exponentially") && x == "schedule" {
					break
				}
				// "cosine decay of the temperature" is not the learning
				// rate's: require no other quantity named in between.
				if seen["sched:"+kindWord] {
					break
				}
				seen["sched:"+kindWord] = true
				out = append(out, hyper{name: "lr_schedule", val: value{v: kindWord, kind: kindText, raw: rawSpan(s, toks, ps[i].tok, ps[k].tok+1), from: ps[i].tok, to: ps[k].tok + 1}, appliesTo: toOptimizer})
				break
			}
			if x == "warm" || x == "warmup" || x == "moving" || x == "increase" || x == "increased" || x == "growth" {
				break
			}
		}
	}
	// Activations: "ReLU activations", "a GELU non-linearity", "activation function: tanh".
	for i := 0; i < len(ps); i++ {
		canon, ok := activations[ps[i].w]
		if !ok {
			continue
		}
		for k := i + 1; k < len(ps) && k <= i+3; k++ {
			x := ps[k].w
			if x == "activation" || x == "activations" || x == "nonlinearity" || x == "nonlinearities" || x == "non" && k+1 < len(ps) && strings.HasPrefix(ps[k+1].w, "linearit") || x == "activation" {
				if !seen["act:"+canon] {
					seen["act:"+canon] = true
					out = append(out, hyper{name: "activation", val: value{v: canon, kind: kindText, raw: toks[ps[i].tok].text, from: ps[i].tok, to: ps[i].tok + 1}, appliesTo: toModel})
				}
				break
			}
			if x == "" {
				break
			}
		}
	}
	return out
}

// snakeName turns a table's row label into a name: "Codebook size" →
// "codebook_size". Math, citations and remarks in parentheses are left out.
func snakeName(label string) string {
	var b strings.Builder
	depth := 0
	inMath := false
	lastUnderscore := true
	for _, r := range label {
		switch {
		case r == '$':
			inMath = !inMath
			continue
		case inMath:
			continue
		case r == '(' || r == '[':
			depth++
			continue
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			continue
		case depth > 0:
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			lastUnderscore = false
		} else if !lastUnderscore {
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	out := strings.Trim(b.String(), "_")
	if utf8.RuneCountInString(out) > 60 {
		return ""
	}
	return out
}
