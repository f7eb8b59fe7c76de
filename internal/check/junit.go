package check

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Outcomes of a test case.
const (
	outcomePassed  = "passed"
	outcomeFailed  = "failed" // an assertion or an exception in the test
	outcomeError   = "error"  // an error in a fixture or while collecting
	outcomeSkipped = "skipped"
)

// Case is one test case of a JUnit XML report, as pytest writes it.
type Case struct {
	Classname string // "tests.test_equations.test_eq3_1_attn"; "" for a collection error
	Name      string // "test_shape"; the module's dotted path for a collection error
	File      string // slash path relative to pytest's rootdir (xunit1 only)
	Line      int    // pytest's line: 0-based, of the def or its first decorator
	Outcome   string
	Message   string // the message attribute of the failure, error or skip
	Text      string // the failure's or error's text: the traceback
}

// Failing reports whether the case failed or errored.
func (c Case) Failing() bool { return c.Outcome == outcomeFailed || c.Outcome == outcomeError }

// Pending reports whether the case was skipped by the pending-test
// convention of the generated conftest.py: a skip whose reason starts with
// "pending: ".
func (c Case) Pending() bool {
	return c.Outcome == outcomeSkipped && pendingReason(c.Message) != ""
}

// pendingReason returns the reason of a pending skip without its prefix, ""
// when msg is not one.
func pendingReason(msg string) string {
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "Skipped: ")
	if r, ok := strings.CutPrefix(msg, "pending: "); ok {
		if r = strings.TrimSpace(r); r != "" {
			return r
		}
		return "pending"
	}
	return ""
}

// Collection reports whether the case stands for a module that failed to
// be collected (imported) rather than for a test.
func (c Case) Collection() bool {
	return c.Classname == "" && c.Failing()
}

type xmlCase struct {
	Classname string      `xml:"classname,attr"`
	Name      string      `xml:"name,attr"`
	File      string      `xml:"file,attr"`
	Line      string      `xml:"line,attr"`
	Failures  []xmlResult `xml:"failure"`
	Errors    []xmlResult `xml:"error"`
	Skipped   []xmlResult `xml:"skipped"`
}

type xmlResult struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// ParseJUnit reads the test cases of a JUnit XML report wherever they are
// nested (<testsuites><testsuite><testcase> or <testsuite><testcase>).
func ParseJUnit(data []byte) ([]Case, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var cases []Case
	sawRoot := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return cases, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		sawRoot = true
		if se.Name.Local != "testcase" {
			continue
		}
		var x xmlCase
		if err := d.DecodeElement(&x, &se); err != nil {
			return cases, err
		}
		cases = append(cases, x.toCase())
	}
	if !sawRoot {
		return nil, errors.New("no XML element in the JUnit report")
	}
	return cases, nil
}

func (x xmlCase) toCase() Case {
	c := Case{Classname: x.Classname, Name: x.Name, File: x.File, Outcome: outcomePassed}
	c.Line, _ = strconv.Atoi(strings.TrimSpace(x.Line))
	switch {
	case len(x.Failures) > 0:
		c.Outcome, c.Message, c.Text = outcomeFailed, x.Failures[0].Message, x.Failures[0].Text
	case len(x.Errors) > 0:
		c.Outcome, c.Message, c.Text = outcomeError, x.Errors[0].Message, x.Errors[0].Text
	case len(x.Skipped) > 0:
		c.Outcome, c.Message, c.Text = outcomeSkipped, x.Skipped[0].Message, x.Skipped[0].Text
	}
	return c
}

// TestName is the name to show for the case: "test_shape",
// "TestBlock.test_shape" for a method, "collection" for a collection error.
func (c Case) TestName() string {
	if c.Collection() {
		return "collection"
	}
	// The classname is the module's dotted path, then the classes.
	if c.File != "" {
		mod := strings.TrimSuffix(strings.ReplaceAll(c.File, "/", "."), ".py")
		if cls, ok := strings.CutPrefix(c.Classname, mod+"."); ok && cls != "" {
			return cls + "." + c.Name
		}
		return c.Name
	}
	// Without the file, the classes are the capitalized names at the end.
	parts := strings.Split(c.Classname, ".")
	i := len(parts)
	for i > 1 && parts[i-1] != "" && unicode.IsUpper([]rune(parts[i-1])[0]) {
		i--
	}
	if i < len(parts) {
		return strings.Join(parts[i:], ".") + "." + c.Name
	}
	return c.Name
}

// fileCandidates returns the test files the case may belong to, most likely
// first: its file attribute, else the paths made from its dotted classname
// (or, for a collection error, its name), longest first.
func (c Case) fileCandidates() []string {
	if c.File != "" {
		return []string{path.Clean(strings.ReplaceAll(c.File, `\`, "/"))}
	}
	dotted := c.Classname
	if dotted == "" {
		dotted = c.Name
	}
	dotted = strings.Trim(dotted, ".")
	if dotted == "" || strings.ContainsAny(dotted, "/\\ ") {
		return nil
	}
	parts := strings.Split(dotted, ".")
	var out []string
	for i := len(parts); i > 0; i-- {
		out = append(out, strings.Join(parts[:i], "/")+".py")
	}
	return out
}

var (
	// locationRe matches the line of a traceback that says where it ended:
	// "tests/test_x.py:17: AssertionError" or "src/m.py:3: in <module>".
	locationRe = regexp.MustCompile(`^(\S[^:]*\.py):(\d+): `)
	// missingRe matches the error of an import of an absent module.
	missingRe = regexp.MustCompile(`ModuleNotFoundError: No module named '([^']+)'`)
	// whereRe matches pytest's explanations of the values of an assertion.
	whereRe = regexp.MustCompile(`^\s*\+\s+(?:where|and)\b`)
)

// maxMessageLines is how many lines of a failure a message keeps.
const maxMessageLines = 6

// maxLineLen is how long a line of a message may be.
const maxLineLen = 240

// noiseLines are lines of pytest's assertion explanations that say nothing
// about the failure.
var noiseLines = []string{"Use -v to get more diff", "Use -vv to get more diff", "Full diff:"}

// failureMessage is the failing assertion of a case: its test name and
// where it failed, then the "E" lines of pytest's traceback (the exception
// and the explanation of the assertion), trimmed to a few lines. testFile
// is the case's test file (locations there are shown as "line N"), root the
// project's root (removed from absolute paths).
func failureMessage(c Case, testFile, root string) string {
	var eLines []string
	loc := ""
	for _, l := range strings.Split(strings.ReplaceAll(c.Text, "\r\n", "\n"), "\n") {
		if l == "E" || strings.HasPrefix(l, "E ") {
			eLines = append(eLines, l[1:])
			continue
		}
		if m := locationRe.FindStringSubmatch(l); m != nil {
			f := relPath(m[1], root)
			if f == testFile {
				loc = "line " + m[2]
			} else {
				loc = f + ":" + m[2]
			}
		}
	}
	eLines = dedent(eLines)
	var body []string
	for _, l := range eLines {
		if slices.Contains(noiseLines, strings.TrimSpace(l)) {
			continue
		}
		// pytest's introspection of the values ("+  where x = f(y)")
		// helps when short; about tensors it is a wall of reprs.
		if whereRe.MatchString(l) && (strings.Contains(l, " at 0x") || utf8.RuneCountInString(l) > 120) {
			continue
		}
		body = append(body, l)
	}
	body = trimBlank(body)
	if len(body) == 0 {
		// No traceback lines: pytest's message says it ("failed on setup
		// with ...", "collection failure").
		body = trimBlank(strings.Split(strings.TrimSpace(c.Message), "\n"))
	}
	if len(body) == 0 {
		body = []string{c.Outcome}
	}
	if len(body) > maxMessageLines {
		body = append(body[:maxMessageLines-1:maxMessageLines-1], "…")
	}
	head := c.TestName()
	if c.Collection() {
		head = "collection failed"
	}
	if loc != "" {
		head += " (" + loc + ")"
	}
	body[0] = head + ": " + strings.TrimSpace(body[0])
	for i, l := range body {
		body[i] = clip(stripRoot(l, root), maxLineLen)
	}
	return strings.Join(body, "\n")
}

// missingModule returns the module of a ModuleNotFoundError in the case's
// failure, "" when there is none.
func missingModule(text string) string {
	if m := missingRe.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// dedent removes the indentation common to the non-blank lines.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			l = l[common:]
		}
		out[i] = strings.TrimRight(l, " \t")
	}
	return out
}

// trimBlank removes blank lines at both ends.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// clip cuts s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// stripRoot makes the absolute paths under root in s relative.
func stripRoot(s, root string) string {
	if root == "" || root == "/" {
		return s
	}
	return strings.ReplaceAll(s, strings.TrimSuffix(root, "/")+"/", "")
}

// relPath returns p relative to root when it is an absolute path under it,
// slash-separated and cleaned.
func relPath(p, root string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if root != "" {
		r := strings.TrimSuffix(strings.ReplaceAll(root, `\`, "/"), "/") + "/"
		p = strings.TrimPrefix(p, r)
	}
	return path.Clean(p)
}
