package facts

import (
	"math"
	"strconv"
	"strings"
)

// Value kinds, as in doc.Hyperparameter.Kind.
const (
	kindNumber = "number"
	kindList   = "list"
	kindRange  = "range"
	kindText   = "text"
)

// value is a parsed hyperparameter value and the tokens it spans.
type value struct {
	v    any // float64, []float64 or string
	kind string
	raw  string
	from int // first token
	to   int // after the last token
	// multi holds the numbers of a plain enumeration ("0.001 and 0.0001"),
	// which is a grid only when the sentence says so, and multiRaw each
	// number as written.
	multi    []float64
	multiRaw []string
}

// rawSpan is the sentence text of tokens [a, b).
func rawSpan(s string, toks []token, a, b int) string {
	if a >= b || b > len(toks) {
		return ""
	}
	return strings.TrimSpace(s[toks[a].start:toks[b-1].end])
}

func isPunct(t token, p string) bool { return t.kind == kPunct && t.low == p }
func isOp(t token, p string) bool    { return t.kind == kOp && t.low == p }
func isWord(t token, w string) bool  { return t.kind == kWord && t.low == w }

// isNum reports whether t is a number written with digits.
func isNum(t token) bool { return t.kind == kNum }

// parseValue reads a value at toks[i]: a number, a range ("between 1e-4 and
// 1e-3", "from 1 to 5", "1e-4–1e-3", "[1e-4, 1e-3]"), a grid ("{0.1, 0.3,
// 0.5}") or an enumeration ("0.1, 0.3 and 0.5", kept in multi).
func parseValue(s string, toks []token, i int) (value, bool) {
	if i >= len(toks) {
		return value{}, false
	}
	t := toks[i]
	switch {
	case isWord(t, "between") || isWord(t, "from"):
		if i+3 < len(toks) && isNum(toks[i+1]) && isNum(toks[i+3]) &&
			(isWord(t, "between") && isWord(toks[i+2], "and") || isWord(t, "from") && isWord(toks[i+2], "to")) {
			lo, hi := toks[i+1].num, toks[i+3].num
			return value{v: []float64{lo, hi}, kind: kindRange, raw: rawSpan(s, toks, i+1, i+4), from: i, to: i + 4}, true
		}
		return value{}, false
	case isPunct(t, "{") || isPunct(t, "["):
		closer := "}"
		if t.low == "[" {
			closer = "]"
		}
		var nums []float64
		j := i + 1
		for j < len(toks) && len(nums) < 64 {
			switch {
			case isNum(toks[j]):
				nums = append(nums, toks[j].num)
				j++
				continue
			case isPunct(toks[j], ",") || isPunct(toks[j], "…") || isPunct(toks[j], ";"):
				j++
				continue
			case isPunct(toks[j], closer) || closer == "]" && isPunct(toks[j], ")"):
				if len(nums) == 0 {
					return value{}, false
				}
				raw := rawSpan(s, toks, i, j+1)
				if closer == "]" {
					if len(nums) != 2 {
						return value{}, false
					}
					return value{v: nums, kind: kindRange, raw: raw, from: i, to: j + 1}, true
				}
				return value{v: nums, kind: kindList, raw: raw, from: i, to: j + 1}, true
			}
			return value{}, false
		}
		return value{}, false
	case isNum(t):
	default:
		return value{}, false
	}
	// A number, perhaps the start of a range, a size or an enumeration.
	j := i + 1
	if j+1 < len(toks) && isNum(toks[j+1]) && (isPunct(toks[j], "–") || isPunct(toks[j], "-") && toks[j].start == t.end && toks[j+1].start == toks[j].end ||
		isWord(toks[j], "to") || isPunct(toks[j], "—")) {
		lo, hi := t.num, toks[j+1].num
		if lo <= hi || isWord(toks[j], "to") {
			return value{v: []float64{lo, hi}, kind: kindRange, raw: rawSpan(s, toks, i, j+2), from: i, to: j + 2}, true
		}
	}
	if j+1 < len(toks) && isOp(toks[j], "×") && isNum(toks[j+1]) && t.isInt && toks[j+1].isInt {
		// An image or grid size: 224 × 224.
		k := j + 2
		dims := []string{fmtNum(t.num), fmtNum(toks[j+1].num)}
		if k+1 < len(toks) && isOp(toks[k], "×") && isNum(toks[k+1]) && toks[k+1].isInt {
			dims = append(dims, fmtNum(toks[k+1].num))
			k += 2
		}
		return value{v: strings.Join(dims, "x"), kind: kindText, raw: rawSpan(s, toks, i, k), from: i, to: k}, true
	}
	// An enumeration: "0.1, 0.3 and 0.5", "0.1, 0.3, 0.5", "0.001 and 0.0001".
	nums := []float64{t.num}
	raws := []string{rawSpan(s, toks, i, i+1)}
	end := i + 1
	k := i + 1
	for k < len(toks) && len(nums) < 64 {
		// "0.1 for CIFAR-10 and 3.2 for ImageNet": skip what each is for.
		if q := skipQualifier(toks, k); q > k && q < len(toks) && (isWord(toks[q], "and") || isPunct(toks[q], ",")) {
			k = q
		}
		if isPunct(toks[k], ",") && k+1 < len(toks) && isNum(toks[k+1]) && endsItem(toks, k+2) {
			nums = append(nums, toks[k+1].num)
			raws = append(raws, rawSpan(s, toks, k+1, k+2))
			k += 2
			end = k
			continue
		}
		conj := k
		if isPunct(toks[conj], ",") {
			conj++
		}
		if conj+1 < len(toks) && (isWord(toks[conj], "and") || isWord(toks[conj], "or")) && isNum(toks[conj+1]) && endsItem(toks, conj+2) {
			nums = append(nums, toks[conj+1].num)
			raws = append(raws, rawSpan(s, toks, conj+1, conj+2))
			end = conj + 2
		}
		break
	}
	if len(nums) > 1 {
		return value{v: nums, kind: kindList, raw: rawSpan(s, toks, i, end), from: i, to: end, multi: nums, multiRaw: raws}, true
	}
	return value{v: t.num, kind: kindNumber, raw: rawSpan(s, toks, i, i+1), from: i, to: i + 1}, true
}

// fmtNum formats a number compactly.
func fmtNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// parseCellValue parses a table cell (or a piece of one) as a value: the
// whole cell must be the value, apart from a trailing citation blank, a
// unit word or a parenthesised remark.
func parseCellValue(text string) (value, bool) {
	text = strings.TrimSpace(text)
	if text == "" || text == "-" || text == "–" || text == "—" {
		return value{}, false
	}
	toks := lex(text)
	if len(toks) == 0 {
		return value{}, false
	}
	// Strip "x = " before a number: "$\beta_1 = 0.9$" is handled elsewhere,
	// but "$k=2$" in a cell is the number.
	i := 0
	if len(toks) >= 3 && toks[0].kind == kSym && isOp(toks[1], "=") {
		i = 2
	}
	if v, ok := parseValue(text, toks, i); ok {
		rest := toks[v.to:]
		if len(rest) == 0 || restIsNoise(rest) {
			// In a table a "0.9, 0.999" cell is a list of values.
			v.multi, v.multiRaw = nil, nil
			return v, true
		}
		// "1M frames", "100 epochs": a number and its unit.
		if v.kind == kindNumber && len(rest) == 1 && rest[0].kind == kWord {
			return v, true
		}
	}
	// A word: Adam, cosine decay, ReLU, True.
	var words []string
	for _, t := range toks {
		if t.kind == kWord || t.kind == kNum || t.kind == kPunct && (t.low == "-" || t.low == "/") {
			words = append(words, t.text)
		}
	}
	if len(words) == 0 {
		return value{}, false
	}
	raw := text
	return value{v: strings.Join(words, " "), kind: kindText, raw: raw, from: 0, to: len(toks)}, true
}

// restIsNoise reports whether tokens after a value are only punctuation,
// a parenthesised remark or a lone unit.
func restIsNoise(rest []token) bool {
	if isPunct(rest[0], "(") || isPunct(rest[0], "[") {
		return true
	}
	for _, t := range rest {
		if t.kind != kPunct {
			return false
		}
	}
	return true
}

// endsItem reports whether an enumerated number ends at toks[j]: "0.1,
// 0.3 and 0.5." but not "128 and 4000 warm-up steps", where the 4000
// counts something else.
func endsItem(toks []token, j int) bool {
	if j >= len(toks) {
		return true
	}
	t := toks[j]
	switch {
	case t.kind == kPunct || t.kind == kOp:
		return true
	case t.kind == kWord:
		switch t.low {
		case "and", "or", "respectively", "for", "on", "in", "with", "resp":
			return true
		}
	}
	return false
}
