package enrich

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Answer is one chunk's validated answer.
type Answer struct {
	Contribution    string
	Architecture    string
	Equations       []EquationNotes
	Hyperparameters []Hyperparameter
	Ambiguities     []Ambiguity
}

// ParseAnswer reads a model's answer tolerantly (code fences and prose
// around the outermost JSON object are ignored, trailing commas removed) and
// validates it against the answer schema: the keys equations,
// hyperparameters and ambiguities are required arrays, contribution and
// architecture optional strings; in the items, symbol and meaning, name,
// value and quote, quote and interpretation are required; numbers are
// accepted where strings are expected; unknown keys are ignored. The error
// says what is wrong, for the retry message.
func ParseAnswer(text string) (*Answer, error) {
	raw, err := extractObject(text)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		fixed := trailingComma.ReplaceAllString(raw, "$1")
		if err2 := json.Unmarshal([]byte(fixed), &v); err2 != nil {
			return nil, fmt.Errorf("the answer is not valid JSON: %v", err)
		}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the answer is not a JSON object")
	}
	var errs []string
	a := &Answer{}
	a.Contribution = optString(obj, "contribution", "", &errs)
	a.Architecture = optString(obj, "architecture", "", &errs)
	for i, it := range reqArray(obj, "equations", "", &errs) {
		p := fmt.Sprintf("equations[%d]", i)
		o, ok := it.(map[string]any)
		if !ok {
			errs = append(errs, p+": want an object")
			continue
		}
		en := EquationNotes{Number: reqString(o, "number", p, &errs), Variables: []Variable{}}
		for j, vt := range reqArray(o, "variables", p, &errs) {
			q := fmt.Sprintf("%s.variables[%d]", p, j)
			vo, ok := vt.(map[string]any)
			if !ok {
				errs = append(errs, q+": want an object")
				continue
			}
			en.Variables = append(en.Variables, Variable{
				Symbol:  reqString(vo, "symbol", q, &errs),
				Meaning: reqString(vo, "meaning", q, &errs),
				Type:    optString(vo, "type", q, &errs),
				Shape:   optString(vo, "shape", q, &errs),
			})
		}
		a.Equations = append(a.Equations, en)
	}
	for i, it := range reqArray(obj, "hyperparameters", "", &errs) {
		p := fmt.Sprintf("hyperparameters[%d]", i)
		o, ok := it.(map[string]any)
		if !ok {
			errs = append(errs, p+": want an object")
			continue
		}
		a.Hyperparameters = append(a.Hyperparameters, Hyperparameter{
			Name:    reqString(o, "name", p, &errs),
			Value:   reqString(o, "value", p, &errs),
			Quote:   reqString(o, "quote", p, &errs),
			Section: optString(o, "section", p, &errs),
		})
	}
	for i, it := range reqArray(obj, "ambiguities", "", &errs) {
		p := fmt.Sprintf("ambiguities[%d]", i)
		o, ok := it.(map[string]any)
		if !ok {
			errs = append(errs, p+": want an object")
			continue
		}
		a.Ambiguities = append(a.Ambiguities, Ambiguity{
			Quote:          reqString(o, "quote", p, &errs),
			Interpretation: reqString(o, "interpretation", p, &errs),
			Equation:       optString(o, "equation", p, &errs),
		})
	}
	if len(errs) > 0 {
		if len(errs) > 8 {
			errs = append(errs[:8], fmt.Sprintf("and %d more", len(errs)-8))
		}
		return nil, errors.New("the answer does not follow the schema: " + strings.Join(errs, "; "))
	}
	return a, nil
}

var trailingComma = regexp.MustCompile(`,\s*([}\]])`)

// extractObject returns the outermost JSON object of text: from the first
// '{' to its matching '}' (strings and escapes respected), or to the last
// '}' when the braces do not balance.
func extractObject(text string) (string, error) {
	start := strings.IndexByte(text, '{')
	if start < 0 {
		return "", errors.New("the answer contains no JSON object")
	}
	depth, inStr, esc := 0, false, false
	for i := start; i < len(text); i++ {
		c := text[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return text[start : i+1], nil
			}
		}
	}
	if end := strings.LastIndexByte(text, '}'); end > start {
		return text[start : end+1], nil
	}
	return "", errors.New("the JSON object is not closed")
}

func path(p, key string) string {
	if p == "" {
		return key
	}
	return p + "." + key
}

func reqArray(o map[string]any, key, p string, errs *[]string) []any {
	v, ok := o[key]
	if !ok || v == nil {
		*errs = append(*errs, path(p, key)+": missing (want an array, possibly empty)")
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: want an array, got %s", path(p, key), kind(v)))
		return nil
	}
	return arr
}

func reqString(o map[string]any, key, p string, errs *[]string) string {
	v, ok := o[key]
	if !ok || v == nil {
		*errs = append(*errs, path(p, key)+": missing (want a string)")
		return ""
	}
	s, ok := asString(v)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: want a string, got %s", path(p, key), kind(v)))
		return ""
	}
	if strings.TrimSpace(s) == "" {
		*errs = append(*errs, path(p, key)+": empty")
	}
	return strings.TrimSpace(s)
}

func optString(o map[string]any, key, p string, errs *[]string) string {
	v, ok := o[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := asString(v)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: want a string, got %s", path(p, key), kind(v)))
	}
	return strings.TrimSpace(s)
}

func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}
