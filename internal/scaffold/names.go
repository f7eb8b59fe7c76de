package scaffold

import (
	"strings"
	"unicode"
)

// pythonReserved are names a parameter or module may not take: keywords,
// builtins that a stub would shadow in a confusing way, and the modules
// that every generated package holds.
var pythonReserved = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`False None True and as assert async await break class continue def del elif
		else except finally for from global if import in is lambda nonlocal not or pass raise return try while with
		yield match case type self torch np nn input len max min sum abs`) {
		pythonReserved[strings.ToLower(k)] = true
	}
}

// helperModules are the modules of every generated package; a component
// whose module has one of these names is renamed (see componentModule).
var helperModules = map[string]bool{"__init__": true, "model": true, "data": true, "train": true, "evaluate": true}

// identifier turns a LaTeX symbol into a Python identifier: font commands
// are dropped, accents and primes become words ("\hat{x}" → "hat_x",
// "x'" → "x_prime"), Greek letters keep their names ("\theta_f" →
// "theta_f"), everything else that is not a letter or digit separates
// words. It returns "" when nothing is left.
func identifier(sym string) string {
	s := sym
	for _, f := range []string{`\mathrm`, `\mathcal`, `\mathbb`, `\mathfrak`, `\mathscr`, `\mathbf`, `\boldsymbol`, `\bm`, `\mathit`, `\mathsf`, `\operatorname`, `\text`} {
		s = strings.ReplaceAll(s, f, " ")
	}
	s = strings.ReplaceAll(s, "'", " prime ")
	s = strings.ReplaceAll(s, `\prime`, " prime ")
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		} else {
			sep = true
		}
	}
	out := b.String()
	if out == "" {
		return ""
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "x" + out
	}
	if len(out) > 30 {
		out = strings.TrimRight(out[:30], "_")
	}
	if pythonReserved[out] {
		out += "_"
	}
	return out
}

// parameters turns the arguments of a defined function into Python
// parameter names: exact duplicates are dropped, and names that collide
// after lower-casing are told apart ("X" next to "x" is "big_x", others
// get "_2", "_3", ...). No arguments give the single parameter "x".
func parameters(args []string) (names, symbols []string) {
	seenSym := map[string]bool{}
	used := map[string]bool{}
	for _, a := range args {
		if seenSym[a] {
			continue
		}
		seenSym[a] = true
		id := identifier(a)
		if id == "" {
			continue
		}
		if used[id] {
			if len(a) == 1 && a[0] >= 'A' && a[0] <= 'Z' && !used["big_"+id] {
				id = "big_" + id
			} else {
				base := id
				for n := 2; used[id]; n++ {
					id = base + "_" + itoa(n)
				}
			}
		}
		used[id] = true
		names = append(names, id)
		symbols = append(symbols, a)
		if len(names) == 8 {
			break
		}
	}
	if len(names) == 0 {
		return []string{"x"}, []string{""}
	}
	return names, symbols
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// validPackage says whether name can be the Python package of a paper:
// lower-case letters, digits and underscores, starting with a letter, not a
// keyword.
func validPackage(name string) bool {
	if name == "" || len(name) > 60 || pythonReserved[name] || !(name[0] >= 'a' && name[0] <= 'z') {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// fileID is a paper identifier as a file name ("hep-th/9901001" →
// "hep-th_9901001").
func fileID(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		return "paper"
	}
	return s
}

// clean makes text from the paper safe to embed in generated files: valid
// UTF-8, no control characters other than newlines, tabs as spaces, and
// Windows line ends as newlines.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', r == '\uFEFF':
			return -1
		}
		return r
	}, s)
}

// oneLine collapses all white space of s into single spaces and cuts it to
// about n runes (0: no limit), ending with "…" when cut.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	if r := []rune(s); n > 0 && len(r) > n {
		s = strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// pyDoc makes text safe inside a raw triple-quoted Python string
// (r"""..."""): a double quote becomes two single quotes (the same closing
// quote in TeX), so that no run of quotes can end the string and no
// backslash can escape its end; the text keeps its backslashes verbatim.
// Lines after the first are indented by indent.
func pyDoc(s, indent string) string {
	s = strings.ReplaceAll(clean(s), `"`, "''")
	lines := strings.Split(strings.TrimRight(s, " \n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
		if i > 0 && lines[i] != "" {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// pyComment makes text a block of Python/YAML/shell comment lines, each
// starting with indent and "# ".
func pyComment(s, indent string) string {
	lines := strings.Split(strings.TrimRight(clean(s), " \n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(indent+"# "+lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// pyStr is s as a Python (and YAML, and JSON) double-quoted string literal.
func pyStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range clean(s) {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// mdCell makes text safe in a Markdown table cell.
func mdCell(s string) string {
	s = oneLine(s, 0)
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "<", "&lt;")
	return s
}

// mdText makes one line of prose safe in Markdown (no HTML).
func mdText(s string) string {
	return strings.ReplaceAll(oneLine(s, 0), "<", "&lt;")
}

// fence returns a code fence longer than any backtick run in s.
func fence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// mermaidLabel escapes text for a quoted Mermaid label.
func mermaidLabel(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "`", "#96;")
	return r.Replace(oneLine(s, 60))
}
