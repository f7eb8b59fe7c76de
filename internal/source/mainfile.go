package source

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/reprohq/repro/internal/xerr"
)

// Names of arXiv's processing instructions.
const (
	readmeJSON   = "00README.json"
	readmeLegacy = "00README.XXX"
)

var (
	// reClass matches \documentclass (or LaTeX 2.09's \documentstyle),
	// capturing the class name when it is there.
	reClass = regexp.MustCompile(`\\document(?:class|style)\b(?:\s*\[[^\]]*\])?(?:\s*\{\s*([^{}\s]*)\s*\})?`)
	reBegin = regexp.MustCompile(`\\begin\s*\{\s*document\s*\}`)
	// reInput matches the commands that read another file as LaTeX: group 1
	// is the command, 2 and 3 its braced arguments, 4 the argument of the
	// TeX form "\input name".
	reInput = regexp.MustCompile(`\\(input|include|subfile|subfileinclude|includestandalone|InputIfFileExists|@input|import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)\b\*?(?:\s*\[[^\]]*\])?\s*(?:\{([^{}]*)\}(?:\s*\{([^{}]*)\})?|([^\s{}\\%]+))`)
)

// preferredNames ranks the usual names of main files.
var preferredNames = map[string]int{"main": 0, "paper": 1, "ms": 2, "manuscript": 3, "article": 4, "root": 5}

// demotedWords are words in file names that mark a document other than the
// paper itself (a supplement, an answer to reviewers, a latexdiff output).
var demotedWords = setOf("response", "rebuttal", "reply", "cover", "letter", "poster", "slides",
	"presentation", "talk", "diff", "changes", "review", "reviewers", "old", "backup", "copy",
	"template", "sample", "example")

// texInfo is what main-file detection knows of one .tex file.
type texInfo struct {
	key      string
	size     int
	class    string // document class, "" if none or not known
	hasClass bool   // has \documentclass
	hasBegin bool   // has \begin{document}
	inputs   []string
	inputted bool // some other file inputs it

	visiting, done bool // closure state
	cClass, cBegin bool // closure: it or a file it inputs has them
}

// subsidiary reports whether the file's class marks it as a part of another
// document rather than the paper.
func (t *texInfo) subsidiary() bool {
	return t.class == "standalone" || t.class == "subfiles"
}

// detectMain finds the main .tex file of b. See Open's documentation.
func detectMain(b *Bundle) (string, error) {
	top, ignore := readReadme(b)

	infos := map[string]*texInfo{}
	var all []*texInfo
	for _, k := range b.Order {
		if !isTeXName(k) || ignore[k] {
			continue
		}
		data := b.Files[k]
		text := stripComments(data)
		t := &texInfo{key: k, size: len(data)}
		// The regular expressions run only where their command occurs:
		// most of a large source is prose and math.
		if i := strings.Index(text, `\document`); i >= 0 {
			if m := reClass.FindStringSubmatch(text[i:]); m != nil {
				t.hasClass, t.class = true, m[1]
			}
		}
		if i := strings.Index(text, `\begin`); i >= 0 {
			t.hasBegin = strings.Contains(text, `\begin{document}`) || reBegin.MatchString(text[i:])
		}
		for _, m := range inputCommands(text) {
			name := m[2]
			switch m[1] {
			case "import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom":
				name = path.Join(m[2], m[3])
			}
			if m[4] != "" {
				name = m[4]
			}
			if dep, ok := b.Resolve(k, name, ".tex"); ok && dep != k {
				t.inputs = append(t.inputs, dep)
			}
		}
		infos[k] = t
		all = append(all, t)
	}
	if len(all) == 0 {
		return "", xerr.Input(b.Root, "no LaTeX files (.tex) found", hintSource)
	}
	for _, t := range all {
		for _, dep := range t.inputs {
			if d := infos[dep]; d != nil {
				d.inputted = true
			}
		}
	}
	for _, t := range all {
		closure(t, infos)
	}

	if len(top) > 0 {
		var tops []*texInfo
		for _, k := range top {
			if t := infos[k]; t != nil {
				tops = append(tops, t)
			}
		}
		if len(tops) > 0 {
			best := bestOf(tops)
			if len(tops) > 1 {
				b.warn(b.Root, "arXiv's instructions name several top-level files; using %s", best.key)
			}
			return best.key, nil
		}
	}

	tiers := []func(t *texInfo) bool{
		// Has both, and is not part of another document.
		func(t *texInfo) bool { return t.hasClass && t.hasBegin && !t.inputted && !t.subsidiary() },
		// Has both through its inputs: \input{preamble} with the class there.
		func(t *texInfo) bool { return t.cClass && t.cBegin && !t.inputted && !t.subsidiary() },
		// Has both, though another file inputs it.
		func(t *texInfo) bool { return t.hasClass && t.hasBegin },
		// Begins the document, and is not input by another file.
		func(t *texInfo) bool { return t.hasBegin && !t.inputted },
		// Has a document class.
		func(t *texInfo) bool { return t.hasClass },
	}
	for _, in := range tiers {
		var cands []*texInfo
		for _, t := range all {
			if in(t) {
				cands = append(cands, t)
			}
		}
		if len(cands) > 0 {
			return bestOf(cands).key, nil
		}
	}
	return "", xerr.Input(b.Root, "no main LaTeX file found (no \\documentclass with \\begin{document})",
		"pass the main file explicitly: repro extract path/to/main.tex")
}

// closure computes whether t, or a file it inputs (transitively), has a
// document class and \begin{document}.
func closure(t *texInfo, infos map[string]*texInfo) {
	if t.done || t.visiting {
		return
	}
	t.visiting = true
	t.cClass, t.cBegin = t.hasClass, t.hasBegin
	for _, dep := range t.inputs {
		d := infos[dep]
		if d == nil {
			continue
		}
		closure(d, infos)
		t.cClass = t.cClass || d.cClass
		t.cBegin = t.cBegin || d.cBegin
	}
	t.visiting, t.done = false, true
}

// bestOf returns the most likely main file among candidates: one that no
// other file inputs, then one with a usual name (main.tex, paper.tex,
// ms.tex...), then one whose name does not say it is a supplement or an
// answer to reviewers, then the shallowest, then the largest.
func bestOf(cands []*texInfo) *texInfo {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if x, y := a.inputted || a.subsidiary(), b.inputted || b.subsidiary(); x != y {
			return !x
		}
		if x, y := nameRank(a.key), nameRank(b.key); x != y {
			return x < y
		}
		if x, y := demoted(a.key), demoted(b.key); x != y {
			return !x
		}
		if x, y := strings.Count(a.key, "/"), strings.Count(b.key, "/"); x != y {
			return x < y
		}
		if a.size != b.size {
			return a.size > b.size
		}
		return a.key < b.key
	})
	return cands[0]
}

func baseName(key string) string {
	base := strings.ToLower(path.Base(key))
	return strings.TrimSuffix(base, path.Ext(base))
}

func nameRank(key string) int {
	if r, ok := preferredNames[baseName(key)]; ok {
		return r
	}
	return len(preferredNames)
}

func demoted(key string) bool {
	words := strings.FieldsFunc(baseName(key), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	for _, w := range words {
		if demotedWords[w] || strings.HasPrefix(w, "supp") {
			return true
		}
	}
	return false
}

// readReadme reads arXiv's processing instructions, 00README.json or the
// legacy 00README.XXX, returning the files they name as top-level and the
// files they say to ignore, as keys of b.Files.
func readReadme(b *Bundle) (top []string, ignore map[string]bool) {
	ignore = map[string]bool{}
	add := func(name, usage string) {
		k, ok := b.Resolve("", name)
		switch usage {
		case "toplevel", "toplevelfile":
			if !ok {
				b.warn(b.Root, "arXiv's instructions name %q as the top-level file, but the source has no such file", name)
				return
			}
			top = append(top, k)
		case "ignore":
			if ok {
				ignore[k] = true
			}
		}
	}
	if data, ok := b.Files[readmeJSON]; ok {
		var r struct {
			Sources []struct {
				Filename string `json:"filename"`
				Usage    string `json:"usage"`
			} `json:"sources"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			b.warn(readmeJSON, "cannot read arXiv's instructions: %v", err)
		} else {
			for _, s := range r.Sources {
				add(s.Filename, strings.ToLower(s.Usage))
			}
		}
	}
	if data, ok := b.Files[readmeLegacy]; ok {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(stripLineComment(line))
			if len(f) >= 2 {
				add(f[0], strings.ToLower(f[1]))
			}
		}
	}
	return top, ignore
}

// inputCommands returns reInput's matches, looking only at lines that can
// hold one.
func inputCommands(text string) [][]string {
	var out [][]string
	for line := range strings.Lines(text) {
		if !strings.Contains(line, `\in`) && !strings.Contains(line, `\In`) && !strings.Contains(line, `\sub`) &&
			!strings.Contains(line, `\im`) && !strings.Contains(line, `\@in`) {
			continue
		}
		out = append(out, reInput.FindAllStringSubmatch(line, -1)...)
	}
	return out
}

// stripComments returns text with LaTeX comments removed: on each line, from
// the first % not escaped by a backslash to the end of the line. The line
// breaks are kept.
func stripComments(data []byte) string {
	if bytes.IndexByte(data, '%') < 0 {
		return string(data)
	}
	var sb strings.Builder
	sb.Grow(len(data))
	for len(data) > 0 {
		line := data
		rest := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i+1], data[i+1:]
		}
		if i := commentStart(line); i >= 0 {
			sb.Write(line[:i])
			if line[len(line)-1] == '\n' {
				sb.WriteByte('\n')
			}
		} else {
			sb.Write(line)
		}
		data = rest
	}
	return sb.String()
}

// commentStart returns the index of the first unescaped % in line, or -1.
func commentStart(line []byte) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // skip the escaped character, \% or \\
		case '%':
			return i
		}
	}
	return -1
}

func stripLineComment(line string) string {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		return line[:i]
	}
	return line
}

// looksLikeLaTeX reports whether data has \documentclass or
// \begin{document} outside comments.
func looksLikeLaTeX(data []byte) bool {
	text := stripComments(data)
	return reClass.MatchString(text) || reBegin.MatchString(text)
}
