package agent

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Size limits of what goes into a prompt, in bytes.
const (
	maxSection   = 6000  // one section of the context document
	maxContext   = 24000 // all the sections of a unit
	maxFile      = 16000 // one source or test file
	maxOracles   = 16000 // the oracle functions
	maxFailure   = 1500  // one failure's text in the feedback
	maxFeedback  = 8000  // all the failures
	maxHelpers   = 6000  // tests/helpers.py
	truncateNote = "\n[... cut here: too long ...]\n"
)

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a line boundary when one is near.
	cut := s[:n]
	if i := strings.LastIndexByte(cut, '\n'); i > n/2 {
		cut = cut[:i+1]
	}
	return cut + truncateNote
}

// contextSlice returns the sections of papers/<paper>.context.md about the
// unit's equations and algorithms ("### Equation (C.1)", "### Algorithm
// B.1: ..."), each up to the next heading, within the size limits.
func contextSlice(root string, u *unit) string {
	b, err := os.ReadFile(filepath.Join(root, "papers", u.Paper+".context.md"))
	if err != nil {
		return ""
	}
	lines := strings.Split(string(b), "\n")
	var out []string
	total := 0
	for i, it := range u.Items {
		var head string
		if u.Kinds[i] == "Algorithm" {
			head = "### Algorithm " + it.Number + ":"
		} else {
			head = "### Equation (" + it.Number + ")"
		}
		for k, l := range lines {
			if !strings.HasPrefix(l, head) {
				continue
			}
			end := k + 1
			for end < len(lines) && !strings.HasPrefix(lines[end], "## ") && !strings.HasPrefix(lines[end], "### ") {
				end++
			}
			sec := clip(strings.TrimSpace(strings.Join(lines[k:end], "\n")), maxSection)
			if total+len(sec) > maxContext {
				out = append(out, "[... further sections left out: too long ...]")
				return strings.Join(out, "\n\n")
			}
			total += len(sec)
			out = append(out, sec)
			break
		}
	}
	return strings.Join(out, "\n\n")
}

var oracleImportRe = regexp.MustCompile(`(?m)^from\s+(oracles\w*)\s+import\s+\(?([\w\s,]+)\)?`)

// oracleFunctions returns the source of the oracle functions that the
// unit's tests import (from tests/oracles*.py), within the size limit.
func oracleFunctions(root string, u *unit) string {
	want := map[string][]string{} // file → names
	var files []string
	for _, t := range u.Tests {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(t)))
		if err != nil {
			continue
		}
		for _, m := range oracleImportRe.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(files, m[1]) {
				files = append(files, m[1])
			}
			for _, n := range strings.Split(m[2], ",") {
				if n = strings.TrimSpace(n); n != "" && !slices.Contains(want[m[1]], n) {
					want[m[1]] = append(want[m[1]], n)
				}
			}
		}
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, "tests", f+".py"))
		if err != nil {
			continue
		}
		src := string(b)
		for _, name := range want[f] {
			if fn := pyFunction(src, name); fn != "" {
				out = append(out, "# tests/"+f+".py\n"+fn)
			}
		}
	}
	return clip(strings.Join(out, "\n\n"), maxOracles)
}

// pyFunction returns the top-level function name of a Python source: its
// def line (with decorators) to the next top-level statement.
func pyFunction(src, name string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "def "+name+"(") {
			continue
		}
		start := i
		for start > 0 && strings.HasPrefix(lines[start-1], "@") {
			start--
		}
		end := i + 1
		for end < len(lines) {
			l := lines[end]
			if l != "" && l[0] != ' ' && l[0] != '\t' && l[0] != '#' && !strings.HasPrefix(l, ")") {
				break
			}
			end++
		}
		return strings.TrimRight(strings.Join(lines[start:end], "\n"), "\n ") + "\n"
	}
	return ""
}
