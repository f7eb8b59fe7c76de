package bib

// braces answers "where does the group opened at s[j] close?" in constant
// time after one linear pass over s, so that parsers that try many
// arguments, some unclosed, stay linear. A backslash escapes the character
// after it, so \{ and \} do not count.
type braces struct {
	s     string
	match []int32 // match[i]: index of the } closing the { at i, or -1; built lazily
}

func newBraces(s string) *braces { return &braces{s: s} }

func (b *braces) build() {
	b.match = make([]int32, len(b.s))
	var stack []int32
	for i := 0; i < len(b.s); i++ {
		b.match[i] = -1
		switch b.s[i] {
		case '\\':
			if i+1 < len(b.s) {
				i++
				b.match[i] = -1
			}
		case '{':
			stack = append(stack, int32(i))
		case '}':
			if n := len(stack); n > 0 {
				b.match[stack[n-1]] = int32(i)
				stack = stack[:n-1]
			}
		}
	}
}

// group reads the {...} group starting exactly at s[j] and closing before
// limit, returning its content and the index after the closing brace. ok is
// false when s[j] is not '{' or the group does not close before limit.
func (b *braces) group(j, limit int) (arg string, next int, ok bool) {
	if j < 0 || j >= len(b.s) || j >= limit || b.s[j] != '{' {
		return "", j, false
	}
	if b.match == nil {
		b.build()
	}
	m := int(b.match[j])
	if m < 0 || m >= limit {
		return "", j, false
	}
	return b.s[j+1 : m], m + 1, true
}

// arg is group after skipping white space at j.
func (b *braces) arg(j, limit int) (string, int, bool) {
	j = skipSpaces(b.s[:min(limit, len(b.s))], j)
	return b.group(j, limit)
}

// braceArg reads the balanced {...} group starting at s[j] and returns its
// content and the index after the closing brace; ok is false when s[j] is
// not '{' or the group is not closed. It scans s from j, so callers that
// try many groups in one string should use braces instead.
func braceArg(s string, j int) (arg string, next int, ok bool) {
	if j >= len(s) || s[j] != '{' {
		return "", j, false
	}
	depth := 0
	for k := j; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++ // skip the escaped character
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[j+1 : k], k + 1, true
			}
		}
	}
	return "", j, false
}
