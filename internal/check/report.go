package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/region"
)

// ReadmeRegion is the region of the README that UpdateReadme rewrites.
const ReadmeRegion = "status"

// Failed reports whether the check failed: a failing equation, algorithm
// or other test, a tool that ran and found something wrong, or a package
// missing from the interpreter that kept tests from running.
func (r *Report) Failed() bool {
	return len(r.failures()) > 0
}

// failures says what failed, for the last line of the text output.
func (r *Report) failures() []string {
	var out []string
	count := func(list []Item, what string) {
		n := 0
		for _, it := range list {
			if it.Status == StatusFailing {
				n++
			}
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d failing %s", n, pluralWord(n, what)))
		}
	}
	count(r.Equations, "equation")
	count(r.Algorithms, "algorithm")
	count(r.Other, "other test file")
	if len(r.MissingPackages) > 0 {
		out = append(out, "missing "+pluralWord(len(r.MissingPackages), "package")+" "+strings.Join(r.MissingPackages, ", "))
	}
	for _, t := range r.Tools {
		if t.Ran && !t.OK {
			out = append(out, t.Name)
		}
	}
	return out
}

// pluralWord returns w for one thing, its plural for more.
func pluralWord(n int, w string) string {
	switch {
	case n == 1:
		return w
	case w == "is":
		return "are"
	}
	return w + "s"
}

// Symbols of the statuses in the text output and the README.
var symbols = map[string]string{
	StatusPassing: "✓",
	StatusFailing: "✗",
	StatusPending: "…",
	StatusNoTest:  "–",
	StatusNotRun:  "?",
}

// statusWord is how the text output says a status.
func statusWord(s string) string {
	switch s {
	case StatusNoTest:
		return "no test"
	case StatusNotRun:
		return "not run"
	}
	return s
}

// multiPaper reports whether the items come from more than one paper (the
// numbers then need the paper's id).
func (r *Report) multiPaper() bool {
	seen := ""
	for _, list := range [][]Item{r.Equations, r.Algorithms} {
		for _, it := range list {
			if seen == "" {
				seen = it.Paper
			} else if it.Paper != seen {
				return true
			}
		}
	}
	return false
}

// name of an item in the text output: "(3.1)", "Algorithm 1", a test file.
func (r *Report) itemName(it Item, algorithm bool) string {
	var s string
	switch {
	case it.Number == "" && !algorithm:
		return it.Test
	case algorithm:
		s = "Algorithm " + it.Number
	default:
		s = "(" + it.Number + ")"
	}
	if r.multiPaper() && it.Paper != "" {
		s = it.Paper + " " + s
	}
	return s
}

// WriteText writes the report for people: a line per equation, algorithm
// and other test file with its status, the failing assertion under each
// failure, the tools (what ran, what was skipped and how to install it),
// the totals and the verdict.
func (r *Report) WriteText(w io.Writer) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Python: %s\n", r.Python)
	// When no test ran, every item says why: say it once.
	shared := r.sharedNotRun()
	if shared != "" {
		fmt.Fprintf(&b, "Tests %s\n", shared)
	}
	section := func(title string, list []Item, algorithm bool) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		nameW, funcW, statusW := 0, 0, 0
		for _, it := range list {
			nameW = max(nameW, width(r.itemName(it, algorithm)))
			funcW = max(funcW, width(it.Func))
			statusW = max(statusW, width(statusWord(it.Status)))
		}
		for _, it := range list {
			cols := []string{pad(r.itemName(it, algorithm), nameW)}
			if funcW > 0 {
				cols = append(cols, pad(it.Func, funcW))
			}
			cols = append(cols, pad(statusWord(it.Status), statusW))
			if it.Number != "" || algorithm {
				cols = append(cols, it.Test)
			}
			b.WriteString("  " + symbols[it.Status] + " " + strings.TrimRight(strings.Join(cols, "  "), " ") + "\n")
			switch {
			case it.Status == StatusNotRun && it.Message == shared:
			case it.Status == StatusFailing, it.Status == StatusNotRun, it.Status == StatusNoTest:
				indent(&b, it.Message, "      ")
			}
		}
	}
	section("Equations", r.Equations, false)
	section("Algorithms", r.Algorithms, true)
	section("Other tests", r.Other, false)

	if len(r.Tools) > 0 {
		b.WriteString("\nTools\n")
		nameW := 0
		for _, t := range r.Tools {
			nameW = max(nameW, width(t.Name))
		}
		for _, t := range r.Tools {
			sym := "–"
			if t.Ran {
				sym = "✓"
				if !t.OK {
					sym = "✗"
				}
			}
			first, rest, _ := strings.Cut(t.Message, "\n")
			fmt.Fprintf(&b, "  %s %s  %s\n", sym, pad(t.Name, nameW), first)
			in := strings.Repeat(" ", 4+nameW+2)
			indent(&b, rest, in)
			indent(&b, t.Hint, in)
		}
	}

	b.WriteString("\n")
	b.WriteString(r.totalsLine(false) + "\n")
	if len(r.MissingPackages) > 0 {
		fmt.Fprintf(&b, "Missing packages: %s\n", strings.Join(r.MissingPackages, ", "))
	}
	if f := r.failures(); len(f) > 0 {
		fmt.Fprintf(&b, "FAILED: %s\n", strings.Join(f, "; "))
	} else {
		b.WriteString("OK\n")
	}
	_, _ = w.Write(b.Bytes())
}

// sharedNotRun returns the message of the items that were not run when
// there are several and they all have the same, "" otherwise.
func (r *Report) sharedNotRun() string {
	msg, n := "", 0
	for _, list := range [][]Item{r.Equations, r.Algorithms, r.Other} {
		for _, it := range list {
			if it.Status != StatusNotRun {
				continue
			}
			if n > 0 && it.Message != msg {
				return ""
			}
			msg = it.Message
			n++
		}
	}
	if n < 2 {
		return ""
	}
	return msg
}

// totalsLine says "Totals: 4 equations (1 passing, 1 failing, …); tests: …".
func (r *Report) totalsLine(markdown bool) string {
	var parts []string
	group := func(list []Item, what string) {
		if len(list) == 0 {
			return
		}
		counts := map[string]int{}
		for _, it := range list {
			counts[it.Status]++
		}
		var cs []string
		for _, s := range []string{StatusPassing, StatusFailing, StatusPending, StatusNoTest, StatusNotRun} {
			if counts[s] > 0 {
				cs = append(cs, fmt.Sprintf("%d %s", counts[s], statusWord(s)))
			}
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", len(list), pluralWord(len(list), what), strings.Join(cs, ", ")))
	}
	group(r.Equations, "equation")
	group(r.Algorithms, "algorithm")
	group(r.Other, "other test file")
	s := "Totals: "
	if markdown {
		s = "**Totals:** "
	}
	if len(parts) == 0 {
		s += "nothing to check"
	} else {
		s += strings.Join(parts, ", ")
	}
	if t := r.Totals; t != nil && t["tests"] > 0 {
		s += "; tests: " + countTests(t["tests_passed"], t["tests_failed"], t["tests_skipped"], t["tests_pending"])
	}
	if r.Coverage != nil {
		s += fmt.Sprintf("; coverage %.1f%%", *r.Coverage)
	}
	return s + "."
}

// indent writes each line of text with the prefix.
func indent(b *bytes.Buffer, text, prefix string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		b.WriteString(strings.TrimRight(prefix+l, " ") + "\n")
	}
}

func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, n int) string {
	if w := width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// JSON returns the report as indented JSON with a final newline:
// {"python", "equations", "algorithms", "other", "tools", "coverage",
// "totals", "missing_packages"}.
func (r *Report) JSON() []byte {
	c := *r
	for _, l := range []*[]Item{&c.Equations, &c.Algorithms, &c.Other} {
		if *l == nil {
			*l = []Item{}
		}
	}
	if c.Tools == nil {
		c.Tools = []Tool{}
	}
	if c.MissingPackages == nil {
		c.MissingPackages = []string{}
	}
	if c.Totals == nil {
		c.Totals = map[string]int{}
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

// maxNote is how many characters of a message the README's note column
// keeps.
const maxNote = 160

// StatusTable returns the Markdown of the README's status region: a table
// of the equations, algorithms and other test files (status, test, note),
// then the totals and the tools. It holds nothing that changes from run to
// run when the project does not (no time, no interpreter), so that a check
// of an unchanged project leaves the README alone.
func (r *Report) StatusTable() []byte {
	var b bytes.Buffer
	b.WriteString("| equation / algorithm | status | test | note |\n| --- | --- | --- | --- |\n")
	row := func(it Item, algorithm bool) {
		name := r.itemName(it, algorithm)
		if it.Number == "" && !algorithm {
			name = "other tests"
		}
		if it.Func != "" {
			name += " `" + it.Func + "`"
		}
		test := "—"
		if it.Test != "" {
			test = fmt.Sprintf("[`%s`](%s)", path.Base(it.Test), it.Test)
		}
		note, _, _ := strings.Cut(it.Message, "\n")
		fmt.Fprintf(&b, "| %s | %s %s | %s | %s |\n", cell(name), symbols[it.Status], statusWord(it.Status), test, cell(clip(note, maxNote)))
	}
	for _, it := range r.Equations {
		row(it, false)
	}
	for _, it := range r.Algorithms {
		row(it, true)
	}
	for _, it := range r.Other {
		row(it, false)
	}
	b.WriteString("\n" + r.totalsLine(true) + "\n")
	var tools []string
	for _, t := range r.Tools {
		switch {
		case t.Name == ToolPytest:
			continue
		case !t.Ran:
			tools = append(tools, t.Name+" –")
		case t.OK:
			tools = append(tools, t.Name+" ✓")
		default:
			tools = append(tools, t.Name+" ✗")
		}
	}
	if len(tools) > 0 {
		b.WriteString("Tools: " + strings.Join(tools, ", ") + ".\n")
	}
	b.WriteString("\nUpdated by `repro check`; ✓ passing, ✗ failing, … pending (the code raises NotImplementedError), – no test, ? not run.\n")
	return b.Bytes()
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\\", "\\\\")
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

// TestsRan reports whether pytest ran the tests. When it did not (a
// missing package, a timeout), every status is "not run": the command
// should then leave the README's table as it was rather than overwrite the
// last real statuses.
func (r *Report) TestsRan() bool { return r.testsRan }

// UpdateReadme writes the report's status table into the status region of
// the project's README.md. It returns false when the README has no such
// region (or there is no README); the file is written atomically, and only
// when its content changes.
func UpdateReadme(root string, r *Report) (bool, error) {
	p := filepath.Join(root, project.ReadmeFile)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	out, ok := region.Replace(data, ReadmeRegion, r.StatusTable())
	if !ok {
		return false, nil
	}
	if bytes.Equal(out, data) {
		return true, nil
	}
	return true, atomicfile.WriteFile(p, out)
}
