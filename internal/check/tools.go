package check

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Hints of the tools that are not installed.
const (
	ruffHint  = "install it: `uv tool install ruff` or `pip install ruff`"
	typesHint = "install one: `uv tool install ty`, `npm install -g pyright` or `pip install mypy`"
)

// timeUp is the message of a tool that the timeout kept from starting.
const timeUp = "skipped: the time ran out"

// runError describes why a tool did not finish: the time ran out while it
// ran (it ran, and failed), or it could not start (it did not run).
func (c *checker) runError(ctx context.Context, err error) (ran bool, msg string) {
	if ctx.Err() != nil {
		return true, "stopped: the time ran out (" + describeTimeout(c.opts.Timeout) + ")"
	}
	return false, "could not run: " + err.Error()
}

// maxToolLines is how many lines of a tool's findings a message quotes.
const maxToolLines = 5

// coverage reads the coverage that pytest-cov measured.
func (c *checker) coverage() {
	t := Tool{Name: ToolCoverage}
	if c.covPath == "" {
		t.Message = c.covReason
		if !c.skipped(SkipCoverage) && !c.in.modules["pytest_cov"] {
			t.Hint = c.in.installHint(false, "pytest-cov")
		}
		c.addTool(t)
		return
	}
	t.Ran = true
	pct, err := readCoverageXML(c.covPath)
	if err != nil {
		t.Message = "no coverage report: " + err.Error()
		c.addTool(t)
		return
	}
	t.OK = true
	c.rep.Coverage = &pct
	t.Message = fmt.Sprintf("%.1f%% of the lines of %s", pct, joinAnd(c.m.Packages))
	c.addTool(t)
}

// readCoverageXML returns the percentage of covered lines of a Cobertura
// report (coverage.py's XML report): its line-rate, rounded to 0.1.
func readCoverageXML(p string) (float64, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, fmt.Errorf("pytest-cov wrote none")
		}
		return 0, err
	}
	var doc struct {
		XMLName  xml.Name `xml:"coverage"`
		LineRate string   `xml:"line-rate,attr"`
	}
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return 0, fmt.Errorf("unreadable: %v", err)
	}
	rate, err := strconv.ParseFloat(doc.LineRate, 64)
	if err != nil || rate < 0 || rate > 1 || math.IsNaN(rate) {
		return 0, fmt.Errorf("no line-rate in the report")
	}
	return math.Round(rate*1000) / 10, nil
}

// ruffCommand is the command that runs ruff: ruff on PATH, else the
// interpreter's ruff module; nil when neither.
func (c *checker) ruffCommand() []string {
	if p, err := exec.LookPath("ruff"); err == nil {
		return []string{p}
	}
	if c.in.modules["ruff"] {
		return c.in.cmd("-m", "ruff")
	}
	return nil
}

var (
	reformatRe = regexp.MustCompile(`^Would reformat: (.+)$`)
	lintLineRe = regexp.MustCompile(`^\S[^:]*:\d+:\d+: `)
	foundRe    = regexp.MustCompile(`Found (\d+) (?:errors?|diagnostics?)`)
	pyrightRe  = regexp.MustCompile(`(\d+) errors?, \d+ warnings?`)
)

// ruff runs `ruff format --check` and `ruff check`.
func (c *checker) ruff(ctx context.Context) {
	if c.skipped(SkipRuff) {
		c.addTool(Tool{Name: ToolRuffFormat, Message: "skipped (turned off)"})
		c.addTool(Tool{Name: ToolRuffCheck, Message: "skipped (turned off)"})
		return
	}
	if ctx.Err() != nil {
		c.addTool(Tool{Name: ToolRuffFormat, Message: timeUp})
		c.addTool(Tool{Name: ToolRuffCheck, Message: timeUp})
		return
	}
	ruff := c.ruffCommand()
	if ruff == nil {
		c.addTool(Tool{Name: ToolRuffFormat, Message: "skipped: ruff is not installed", Hint: ruffHint})
		c.addTool(Tool{Name: ToolRuffCheck, Message: "skipped: ruff is not installed", Hint: ruffHint})
		return
	}

	argv := append(ruff[:len(ruff):len(ruff)], "format", "--check", ".")
	res := c.r.run(ctx, "ruff format --check", nil, argv...)
	t := Tool{Name: ToolRuffFormat, Ran: true, Command: displayCommand(argv, c.root, c.tmp)}
	switch {
	case res.err != nil:
		t.Ran, t.Message = c.runError(ctx, res.err)
	case res.code == 0:
		t.OK, t.Message = true, "formatted"
	case res.code == 1:
		var files []string
		for _, l := range lines(res.out) {
			if m := reformatRe.FindStringSubmatch(l); m != nil {
				files = append(files, relPath(m[1], c.root))
			}
		}
		t.Message = fmt.Sprintf("%s would be reformatted", plural(len(files), "file"))
		if len(files) > 0 {
			t.Message += ": " + strings.Join(headOf(files, maxToolLines), ", ")
		}
		t.Hint = "run `ruff format .`"
	default:
		t.Message = fmt.Sprintf("failed (exit code %d):\n%s", res.code, stripRoot(Tail(res.out, maxToolLines), c.root))
	}
	c.addTool(t)

	argv = append(ruff[:len(ruff):len(ruff)], "check", "--output-format", "concise", ".")
	res = c.r.run(ctx, "ruff check", nil, argv...)
	if res.code == 2 && strings.Contains(res.out, "concise") {
		// A ruff older than 0.5 has no concise format: its default is.
		argv = append(ruff[:len(ruff):len(ruff)], "check", ".")
		res = c.r.run(ctx, "", nil, argv...)
	}
	t = Tool{Name: ToolRuffCheck, Ran: true, Command: displayCommand(argv, c.root, c.tmp)}
	switch {
	case res.err != nil:
		t.Ran, t.Message = c.runError(ctx, res.err)
	case res.code == 0:
		t.OK, t.Message = true, "no lint errors"
	case res.code == 1:
		var found []string
		for _, l := range lines(res.out) {
			if lintLineRe.MatchString(l) {
				found = append(found, stripRoot(l, c.root))
			}
		}
		n := len(found)
		if m := foundRe.FindStringSubmatch(res.out); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		t.Message = plural(n, "lint error")
		if len(found) > 0 {
			t.Message += ":\n" + strings.Join(headOf(found, maxToolLines), "\n")
		}
		t.Hint = "see them all with `ruff check .`; `ruff check --fix .` fixes the fixable ones"
	default:
		t.Message = fmt.Sprintf("failed (exit code %d):\n%s", res.code, stripRoot(Tail(res.out, maxToolLines), c.root))
	}
	c.addTool(t)
}

// typeChecker returns the type checker to run: ty, else pyright, else mypy
// (the interpreter's, else on PATH), with its command line; "" when none is
// installed.
func (c *checker) typeChecker() (string, []string) {
	exe := c.in.executable
	if p, err := exec.LookPath("ty"); err == nil {
		argv := []string{p, "check", "--output-format", "concise"}
		if exe != "" {
			argv = append(argv, "--python", exe)
		}
		return "ty", argv
	}
	if p, err := exec.LookPath("pyright"); err == nil {
		argv := []string{p}
		if exe != "" {
			argv = append(argv, "--pythonpath", exe)
		}
		return "pyright", argv
	}
	target := "."
	if fi, err := os.Stat(filepath.Join(c.root, "src")); err == nil && fi.IsDir() {
		target = "src"
	}
	if c.in.modules["mypy"] {
		return "mypy", c.in.cmd("-m", "mypy", target)
	}
	if p, err := exec.LookPath("mypy"); err == nil {
		argv := []string{p}
		if exe != "" {
			argv = append(argv, "--python-executable", exe)
		}
		return "mypy", append(argv, target)
	}
	return "", nil
}

// typeErrorRe matches the lines of the type checkers' errors: mypy's
// "src/m.py:3: error: ...", ty's concise "src/m.py:3:5: error[rule] ...",
// pyright's "  /abs/src/m.py:3:5 - error: ...".
var typeErrorRe = regexp.MustCompile(`(?:^\S[^:]*:\d+(?::\d+)?: error\b)|(?:^\s*\S[^:]*:\d+:\d+ - error: )`)

// types runs the type checker.
func (c *checker) types(ctx context.Context) {
	if c.skipped(SkipTypes) {
		c.addTool(Tool{Name: ToolTypes, Message: "skipped (turned off)"})
		return
	}
	if ctx.Err() != nil {
		c.addTool(Tool{Name: ToolTypes, Message: timeUp})
		return
	}
	name, argv := c.typeChecker()
	if name == "" {
		c.addTool(Tool{Name: ToolTypes, Message: "skipped: no type checker is installed (ty, pyright or mypy)", Hint: typesHint})
		return
	}
	step := name
	if name == "mypy" {
		step += " (its first run on a project that imports torch takes a minute)"
	}
	res := c.r.run(ctx, step, nil, argv...)
	t := Tool{Name: ToolTypes, Ran: true, Command: displayCommand(argv, c.root, c.tmp)}
	switch {
	case res.err != nil:
		t.Ran, t.Message = c.runError(ctx, res.err)
		t.Message = name + ": " + t.Message
	case res.code == 0:
		t.OK, t.Message = true, name+": "+lastLine(res.out, "no errors")
	case res.code == 1:
		var found []string
		for _, l := range lines(res.out) {
			if typeErrorRe.MatchString(l) {
				found = append(found, strings.TrimSpace(stripRoot(l, c.root)))
			}
		}
		n := len(found)
		if m := foundRe.FindStringSubmatch(res.out); m != nil && name != "ty" {
			n, _ = strconv.Atoi(m[1])
		} else if m := pyrightRe.FindStringSubmatch(res.out); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		if n == 0 {
			t.Message = name + ": failed:\n" + stripRoot(Tail(res.out, maxToolLines), c.root)
			break
		}
		t.Message = name + ": " + plural(n, "error")
		if len(found) > 0 {
			t.Message += ":\n" + strings.Join(headOf(found, maxToolLines), "\n")
		}
		show := name
		switch name {
		case "ty":
			show = "ty check"
		case "mypy":
			show = "mypy " + argv[len(argv)-1]
		}
		t.Hint = "see them all with `" + show + "`"
	default:
		t.Message = fmt.Sprintf("%s: failed (exit code %d):\n%s", name, res.code, stripRoot(Tail(res.out, maxToolLines), c.root))
	}
	c.addTool(t)
}

// lines splits output into lines without their line ends.
func lines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// lastLine returns the last non-blank line of s, or def.
func lastLine(s, def string) string {
	if l := Tail(s, 1); l != "" {
		return strings.TrimSpace(l)
	}
	return def
}

// headOf returns the first n of list, with a last line saying how many
// more there are.
func headOf(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("… and %d more", len(list)-n))
}

// plural says "1 file", "2 files".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
