package facts

import (
	"strings"
)

// glossary names the paper's symbols: "a temperature $\kappa$" makes
// $\kappa = 1$ a temperature, and the hyperparameter table's row "Gate
// penalty $\lambda$" names $\lambda$ wherever the prose sets it.
type glossary struct {
	names map[string]string
	prio  map[string]int
}

// Glossary priorities: a table row beats a phrase of the vocabulary, which
// beats a noun phrase of several words, which beats a single word.
const (
	prioWord   = 1
	prioPhrase = 2
	prioVocab  = 3
	prioTable  = 4
)

func newGlossary() *glossary {
	return &glossary{names: map[string]string{}, prio: map[string]int{}}
}

func (g *glossary) add(sym, name string, prio int) {
	if sym == "" || name == "" {
		return
	}
	if p, ok := g.prio[sym]; ok && p >= prio {
		return
	}
	g.names[sym] = name
	g.prio[sym] = prio
}

// variables are Greek letters that name variables rather than settings.
var variables = map[string]bool{
	`\theta`: true, `\phi`: true, `\psi`: true, `\pi`: true, `\omega`: true, `\xi`: true,
	`\chi`: true, `\Sigma`: true, `\Omega`: true, `\Delta`: true, `\Gamma`: true, `\nabla`: true,
	`\partial`: true, `\ell`: true, `\infty`: true, `\varphi`: true, `\vartheta`: true,
	`\zeta`: true, `\nu`: true, `\Lambda`: true, `\Phi`: true, `\Psi`: true,
}

// name returns the name of a symbol: from the paper's own words, else the
// symbols every paper writes alike (\beta_1), else a Greek letter's own name
// (\lambda → "lambda"). A Latin letter the paper does not name has none.
func (g *glossary) name(sym string) string {
	if variables[symBase(sym)] {
		return ""
	}
	if n := g.names[sym]; n != "" {
		return n
	}
	if n := symbolNames[sym]; n != "" {
		return n
	}
	if !strings.HasPrefix(sym, `\`) {
		return ""
	}
	base := sym
	rest := ""
	if k := strings.IndexAny(sym, "_^'"); k > 0 {
		base, rest = sym[:k], sym[k:]
	}
	if variables[base] || !isGreekName(base) {
		return ""
	}
	if n := g.names[base]; n != "" && rest == "" {
		return n
	}
	name := strings.TrimPrefix(base[1:], "var")
	// \lambda_1 → lambda_1; other scripts are dropped from the name.
	if len(rest) == 2 && rest[0] == '_' && (isDigit(rest[1]) || isLetter(rest[1])) {
		name += "_" + rest[1:]
	} else if rest != "" {
		return ""
	}
	return name
}

var greekNames = func() map[string]bool {
	m := map[string]bool{}
	for _, g := range greek {
		m[g] = true
	}
	for _, g := range []string{`\varepsilon`, `\varrho`, `\varsigma`, `\upsilon`, `\iota`, `\omicron`, `\Theta`, `\Xi`, `\Pi`, `\Upsilon`} {
		m[g] = true
	}
	return m
}()

func isGreekName(s string) bool { return greekNames[s] }

// npStop are words that cannot end or be part of a noun phrase naming a
// symbol.
var npStop = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "with": true, "and": true, "or": true, "for": true,
	"to": true, "in": true, "on": true, "at": true, "by": true, "from": true, "as": true, "is": true,
	"are": true, "be": true, "that": true, "this": true, "these": true, "where": true, "when": true,
	"which": true, "we": true, "our": true, "its": true, "their": true, "let": true, "denote": true,
	"denotes": true, "denoted": true, "define": true, "defines": true, "defined": true, "using": true,
	"use": true, "set": true, "sets": true, "if": true, "then": true, "all": true, "each": true,
	"every": true, "some": true, "any": true, "given": true, "over": true, "under": true, "into": true,
	"between": true, "via": true, "has": true, "have": true, "been": true, "was": true, "were": true,
	"such": true, "while": true, "since": true, "because": true, "than": true, "it": true, "they": true,
	"here": true, "there": true, "only": true, "also": true, "both": true, "not": true, "no": true,
	"so": true, "but": true, "take": true, "fix": true, "choose": true, "get": true, "make": true,
	"obtain": true, "compute": true, "apply": true, "tune": true, "sample": true, "draw": true,
	"i": true, "e": true, "g": true, "eq": true, "equation": true, "see": true, "like": true,
	"same": true, "new": true, "different": true, "other": true, "first": true, "last": true,
	"one": true, "two": true, "small": true, "large": true, "each.": true, "per": true, "can": true,
	"may": true, "will": true, "should": true, "must": true, "would": true, "could": true,
	"used": true, "chose": true, "chosen": true, "assume": true, "assumes": true, "least": true,
	"most": true, "max": true, "min": true, "exists": true, "exist": true, "case": true, "cases": true,
	"suppose": true, "setting": true, "choosing": true, "selecting": true, "picking": true, "fixing": true,
	"took": true, "ran": true, "run": true, "runs": true, "gives": true, "give": true, "yields": true,
	"yield": true, "leads": true, "implies": true, "means": true, "holds": true, "hold": true,
	"becomes": true, "become": true, "equals": true, "equal": true, "reduces": true, "recovers": true,
	"results": true, "result": true, "wlog": true, "e.g": true, "i.e": true, "respectively": true,
	"until": true, "after": true, "before": true, "during": true, "up": true, "down": true,
	"within": true, "without": true, "about": true, "around": true, "near": true, "below": true,
	"above": true, "except": true, "unless": true, "whether": true, "how": true, "what": true,
}

// generic nouns say nothing on their own ("with weight $\lambda$").
var genericNouns = map[string]bool{
	"weight": true, "parameter": true, "parameters": true, "coefficient": true, "constant": true,
	"value": true, "values": true, "factor": true, "term": true, "hyperparameter": true,
	"variable": true, "scalar": true, "function": true, "matrix": true, "vector": true,
	"number": true, "size": true, "set": true, "sequence": true, "distribution": true, "space": true,
	"index": true, "time": true, "step": true, "input": true, "output": true, "state": true,
	"action": true, "model": true, "policy": true, "loss": true, "data": true, "sample": true,
	"samples": true, "point": true, "points": true, "dimension": true, "length": true, "ratio": true,
	"rate": true, "level": true, "noise": true, "mean": true, "variance": true, "error": true,
	"probability": true, "density": true, "parameterization": true, "estimate": true,
	"estimator": true, "gradient": true, "gradients": true, "objective": true, "bound": true,
	"iteration": true, "iterations": true, "layer": true, "network": true, "class": true,
	"classes": true, "label": true, "labels": true, "example": true, "examples": true, "task": true,
	"tasks": true, "agent": true, "reward": true, "return": true, "episode": true, "horizon": true,
	"hyper-parameter": true, "hyperparameters": true, "hyper-parameters": true, "grid": true,
	"values.": true, "quantity": true, "setting": true, "settings": true, "choice": true,
}

// looksVerb reports whether a word is probably a verb or an adverb.
func looksVerb(w string) bool {
	for _, suf := range []string{"ize", "ise", "ed", "ing", "ly", "izes", "ises"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

// learn adds the symbol names a sentence defines: "a temperature $\kappa$"
// (a phrase of the vocabulary), "the gate bias $b_g$" (a noun phrase),
// "$\alpha$ the step size", "$L = 4$ layers".
func (g *glossary) learn(s string) { g.learnTokens(lex(s)) }

// learnTokens is learn on a sentence already split into tokens.
func (g *glossary) learnTokens(toks []token) {
	if len(toks) > maxSentenceTokens {
		toks = toks[:maxSentenceTokens]
	}
	mentions := findMentions(toks)
	for _, m := range mentions {
		j := m.to
		if j < len(toks) && isPunct(toks[j], "(") {
			j++
		}
		if j < len(toks) && toks[j].kind == kSym {
			g.add(toks[j].low, m.def.name, prioVocab)
		}
		// "$\gamma$ is the discount factor", "$\alpha$ the step size".
		k := m.from - 1
		for k >= 0 && toks[k].kind == kWord && (toks[k].low == "the" || toks[k].low == "is" || toks[k].low == "denotes" || toks[k].low == "a" || toks[k].low == "an" || toks[k].low == "being" || toks[k].low == "as") {
			k--
		}
		if k >= 0 && k < m.from-1 && toks[k].kind == kSym {
			g.add(toks[k].low, m.def.name, prioVocab)
		}
	}
	for i, t := range toks {
		if t.kind != kSym || variables[symBase(t.low)] {
			continue
		}
		// "$L = 4$ layers", "$l$ layers": the count noun names the symbol.
		countable := func(name string) bool {
			return name == "num_layers" || name == "num_heads" || name == "hidden_size" || name == "num_filters"
		}
		if i+2 < len(toks) && isOp(toks[i+1], "=") && toks[i+2].kind == kNum {
			if name, _, _ := countNoun(toks, i+2); countable(name) {
				g.add(t.low, name, prioVocab)
			}
		} else if i+1 < len(toks) && toks[i+1].kind == kWord && countable(countNouns[toks[i+1].low]) {
			g.add(t.low, countNouns[toks[i+1].low], prioVocab)
		}
		// A one-letter symbol is named only by the vocabulary: "the time
		// step $t$" does not make every $t = 0$ a setting.
		if isBareLatin(t.low) {
			continue
		}
		// A noun phrase before the symbol: "the gate bias $b_g$".
		var words []string
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			w := toks[k]
			if w.kind != kWord || npStop[w.low] || w.numWord || looksVerb(w.low) && (k == i-1 || !strings.HasSuffix(w.low, "ing")) {
				break
			}
			words = append([]string{w.low}, words...)
		}
		if len(words) == 0 || i > 0 && toks[i-1].kind != kWord {
			continue
		}
		if inVocab(words) {
			continue // the vocabulary named it above
		}
		if len(words) == 1 && (genericNouns[words[0]] || len(words[0]) < 3) {
			continue
		}
		prio := prioWord
		if len(words) > 1 {
			prio = prioPhrase
		}
		g.add(t.low, strings.Join(words, "_"), prio)
	}
}

// inVocab reports whether a sequence of words ends with a phrase of the
// vocabulary.
func inVocab(words []string) bool {
	toks := make([]token, len(words))
	for i, w := range words {
		toks[i] = token{kind: kWord, low: w, text: w}
	}
	for _, m := range findMentions(toks) {
		if m.to == len(toks) {
			return true
		}
	}
	return false
}
