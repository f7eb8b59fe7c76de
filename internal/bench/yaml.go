package bench

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/reprohq/repro/internal/xerr"
)

// header is the comment at the top of benchmarks.yaml.
const header = `# benchmarks.yaml: the numbers the paper reports, which this project tries to
# reproduce. "repro bench RESULTS..." compares your results with them and
# writes docs/benchmarks.md. The file is yours: edit it, repro keeps it.
#
# Each target has:
#   id                a stable name, unique in this file (reports use it)
#   paper_id          the paper it comes from, in a project with several papers
#   method            the label of the paper's method in the table
#   dataset, metric   what was measured; results are matched on these two names
#   setting           the other labels of the table cell (model size, split, ...);
#                     a result that names a setting must name this one
#   paper             the paper's number; raw is the cell as printed
#   plus_minus        the paper's ± when it prints one
#   percent           true when the number is on a 0-100 scale: a result in
#                     [0, 1] is then multiplied by 100 (and an accuracy-like
#                     target on a 0-1 scale divides a result in (1, 100] by 100)
#   higher_is_better  the metric's direction; a result better than the paper
#                     by more than the tolerance still counts as reproduced
#   tolerance         how far a result may be from the paper's number:
#                     {absolute: 1} is ±1, {relative: 0.05} is ±5%, both means
#                     the larger of the two; "tolerance: 1" and "tolerance: 5%"
#                     work too. Delete the line to get the default back.
#   tolerance_source  why this tolerance (informative)
#   skip              true leaves the target out of the verdict
#   source            where the number is in the paper
#
# Default tolerances: accuracy-like metrics (accuracy, F1, precision, recall,
# exact match, AUC, mAP, IoU) and BLEU/ROUGE ±1 point (±0.01 on a 0-1 scale);
# error rates in percent ±1 point; losses and errors on a 0-1 scale ±5%;
# perplexity ±5%; FID/IS ±5%; RL returns ±10%; other metrics ±2%. When the
# paper prints a ±, the tolerance is twice it if that is wider.
#
# Status per target: within the tolerance ✅ ok, within twice it ⚠️ close,
# further ❌ off, no result ⏳ not run. Verdict: REPRODUCED when every target
# (skipped ones aside) is ok; NOT REPRODUCED when at least half of the
# targets with a result are off; INCONCLUSIVE when none has a result;
# PARTIALLY REPRODUCED otherwise.
#
# aliases: other spellings of dataset and metric names in your results, by
# canonical name, for example
#   aliases:
#     datasets:
#       SST-2: [sst2_validation, stanford-sentiment]
#     metrics:
#       accuracy: [val_top1]
# Names match already regardless of case, spaces, punctuation and dashes,
# and common metric spellings (acc/accuracy/top-1, ppl/perplexity,
# f1/F-score, em/exact match, ...) are built in.
`

// Marshal returns the file as YAML, with a header comment that explains
// every field. Parse reads it back to an equal File.
func (f *File) Marshal() []byte {
	out := *f
	out.Version = Version
	if out.Targets == nil {
		out.Targets = []Target{}
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&out); err != nil {
		panic(err) // plain data: cannot fail
	}
	if err := enc.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Load reads and parses benchmarks.yaml.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &xerr.Error{Kind: xerr.KindInput, File: path, Msg: "no benchmark targets file", Hint: "run repro scaffold to create benchmarks.yaml, or write one (see the header of a generated one)", Err: err}
		}
		return nil, err
	}
	return Parse(path, data)
}

const yamlHint = "fix the YAML (the header comment of a generated benchmarks.yaml explains every field)"

var lineRE = regexp.MustCompile(`line (\d+)`)

// Parse reads benchmarks.yaml. name is used in messages. A target without
// a tolerance gets the default for its metric; one without an id gets one
// from its table, dataset, metric and setting.
func Parse(name string, data []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil { // the YAML library, on hostile input
			f, err = nil, xerr.Input(name, fmt.Sprintf("cannot read the YAML: %v", r), yamlHint)
		}
	}()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		e := xerr.Input(name, "cannot read the YAML: "+strings.TrimPrefix(err.Error(), "yaml: "), yamlHint)
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = "cannot read the YAML: " + strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), m[0]+": ")
		}
		// The YAML library reports the line where the enclosing block
		// starts; the first line at which the text stops parsing is
		// usually the one to fix.
		if l := firstBadLine(data); l > e.Line {
			e.Line = l
		}
		return nil, e
	}
	p := &parser{name: name}
	f = &File{Version: Version}
	if root.Kind == 0 || len(root.Content) == 0 {
		return f, nil
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return f, nil
	}
	if doc.Kind != yaml.MappingNode {
		return nil, p.errf(doc, "the file must be a mapping with targets: and aliases:")
	}
	var targets *yaml.Node
	err = p.fields(doc, "top level", []string{"version", "targets", "aliases"}, func(k string, v *yaml.Node) error {
		switch k {
		case "version":
			var n int
			if err := p.scalar(v, "version", &n); err != nil {
				return err
			}
			if n > Version {
				e := p.errf(v, "version %d is newer than this repro understands (%d)", n, Version)
				e.Hint = "update repro"
				return e
			}
			if n < 0 {
				return p.errf(v, "version must be %d", Version)
			}
		case "targets":
			targets = v
		case "aliases":
			return p.aliases(v, &f.Aliases)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if targets != nil && !isNull(targets) {
		if targets.Kind != yaml.SequenceNode {
			return nil, p.errf(targets, "targets must be a list")
		}
		taken := map[string]int{}
		var noID []int
		for _, tn := range targets.Content {
			t, idNode, err := p.target(tn)
			if err != nil {
				return nil, err
			}
			if t.ID == "" {
				noID = append(noID, len(f.Targets))
			} else if line, dup := taken[t.ID]; dup {
				e := p.errf(idNode, "duplicate target id %q (first at line %d)", t.ID, line)
				e.Hint = "give each target its own id"
				return nil, e
			} else {
				taken[t.ID] = idNode.Line
			}
			f.Targets = append(f.Targets, t)
		}
		ids := map[string]bool{}
		for id := range taken {
			ids[id] = true
		}
		for _, i := range noID {
			t := &f.Targets[i]
			t.ID = uniqueID(targetID(t.Source.Table, t.Dataset, t.Metric, t.Setting), ids)
		}
	}
	return f, nil
}

// firstBadLine returns the smallest n such that the first n lines of data
// do not parse (by bisection, assuming that once a prefix fails the longer
// ones do too), or 0.
func firstBadLine(data []byte) int {
	var ends []int // ends[i] is the end of line i+1
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(n int) bool {
		var node yaml.Node
		return yaml.Unmarshal(data[:ends[n-1]], &node) != nil
	}
	lo, hi := 1, len(ends)
	if !fails(hi) {
		return 0
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

type parser struct {
	name string
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) *xerr.Error {
	return &xerr.Error{Kind: xerr.KindInput, File: p.name, Line: n.Line, Msg: fmt.Sprintf(format, args...), Hint: yamlHint}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// fields walks a mapping's keys, refusing unknown and repeated ones.
func (p *parser) fields(n *yaml.Node, what string, known []string, f func(k string, v *yaml.Node) error) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "%s must be a mapping", what)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := deref(n.Content[i]), deref(n.Content[i+1])
		if kn.Kind != yaml.ScalarNode {
			return p.errf(kn, "%s: a key must be a plain name", what)
		}
		k := kn.Value
		if line, dup := seen[k]; dup {
			return p.errf(kn, "%s: %s is given twice (first at line %d)", what, k, line)
		}
		seen[k] = kn.Line
		if !containsStr(known, k) {
			e := p.errf(kn, "%s: unknown field %q", what, k)
			e.Hint = "the fields are: " + strings.Join(known, ", ")
			if s := closest(k, known); s != "" {
				e.Hint = "did you mean " + s + "? " + e.Hint
			}
			return e
		}
		if err := f(k, vn); err != nil {
			return err
		}
	}
	return nil
}

// deref follows YAML aliases (*name), once.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// scalar decodes a scalar node into a string, float64, int or bool.
func (p *parser) scalar(n *yaml.Node, what string, out any) error {
	if n.Kind != yaml.ScalarNode {
		return p.errf(n, "%s must be a single value", what)
	}
	switch o := out.(type) {
	case *string:
		if isNull(n) {
			*o = ""
			return nil
		}
		*o = n.Value
		return nil
	case *float64:
		var f float64
		var err error
		if n.Tag == "!!str" { // "3.5" quoted
			f, err = strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
		} else {
			err = n.Decode(&f)
		}
		if err != nil {
			return p.errf(n, "%s must be a number, not %q", what, n.Value)
		}
		if !isFinite(f) {
			return p.errf(n, "%s must be a finite number, not %s", what, n.Value)
		}
		*o = f
		return nil
	case *int:
		var i int
		if err := n.Decode(&i); err != nil {
			return p.errf(n, "%s must be a whole number, not %q", what, n.Value)
		}
		*o = i
		return nil
	case *bool:
		var b bool
		if err := n.Decode(&b); err != nil {
			return p.errf(n, "%s must be true or false, not %q", what, n.Value)
		}
		*o = b
		return nil
	}
	panic("bench: scalar of an unexpected type")
}

var targetFields = []string{"id", "paper_id", "method", "dataset", "metric", "setting", "paper", "raw", "plus_minus", "percent", "higher_is_better", "tolerance", "tolerance_source", "skip", "source"}

var sourceFields = []string{"table", "caption", "row", "column", "section", "file", "line"}

func (p *parser) target(n *yaml.Node) (Target, *yaml.Node, error) {
	var t Target
	idNode := n
	var hasValue bool
	var tolNode *yaml.Node
	err := p.fields(n, "target", targetFields, func(k string, v *yaml.Node) error {
		switch k {
		case "id":
			idNode = v
			if err := p.scalar(v, "id", &t.ID); err != nil {
				return err
			}
			t.ID = strings.TrimSpace(t.ID)
		case "paper_id":
			return p.scalar(v, k, &t.Paper)
		case "method":
			return p.scalar(v, k, &t.Method)
		case "dataset":
			return p.scalar(v, k, &t.Dataset)
		case "metric":
			return p.scalar(v, k, &t.Metric)
		case "setting":
			return p.scalar(v, k, &t.Setting)
		case "paper":
			hasValue = true
			return p.scalar(v, "paper (the paper's number)", &t.Value)
		case "raw":
			return p.scalar(v, k, &t.Raw)
		case "plus_minus":
			if isNull(v) {
				return nil
			}
			var pm float64
			if err := p.scalar(v, k, &pm); err != nil {
				return err
			}
			if pm < 0 {
				return p.errf(v, "plus_minus must not be negative")
			}
			t.PlusMinus = &pm
		case "percent":
			return p.scalar(v, k, &t.Percent)
		case "higher_is_better":
			if isNull(v) {
				return nil
			}
			var b bool
			if err := p.scalar(v, k, &b); err != nil {
				return err
			}
			t.HigherIsBetter = &b
		case "tolerance":
			tolNode = v
			tol, err := p.tolerance(v)
			if err != nil {
				return err
			}
			t.Tolerance = tol
		case "tolerance_source":
			return p.scalar(v, k, &t.ToleranceSource)
		case "skip":
			return p.scalar(v, k, &t.Skip)
		case "source":
			if isNull(v) {
				return nil
			}
			return p.fields(v, "source", sourceFields, func(k string, v *yaml.Node) error {
				switch k {
				case "table":
					return p.scalar(v, k, &t.Source.Table)
				case "caption":
					return p.scalar(v, k, &t.Source.Caption)
				case "row":
					return p.scalar(v, k, &t.Source.Row)
				case "column":
					return p.scalar(v, k, &t.Source.Column)
				case "section":
					return p.scalar(v, k, &t.Source.Section)
				case "file":
					return p.scalar(v, k, &t.Source.File)
				case "line":
					return p.scalar(v, k, &t.Source.Line)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return t, idNode, err
	}
	if !hasValue {
		e := p.errf(n, "target %s has no paper value", orQuote(t.ID, t.Label()))
		e.Hint = "add paper: with the paper's number, or delete the target"
		return t, idNode, e
	}
	if t.Dataset == "" && t.Metric == "" {
		e := p.errf(n, "target %s names neither a dataset nor a metric", orQuote(t.ID, ""))
		e.Hint = "add dataset: and metric: so that results can be matched to it"
		return t, idNode, e
	}
	def, why := DefaultTolerance(t.Metric, t.Value, t.Percent, t.PlusMinus)
	switch {
	case tolNode == nil:
		t.Tolerance, t.ToleranceSource = def, why
	case t.Tolerance == def:
		if t.ToleranceSource == "" {
			t.ToleranceSource = why
		}
	case t.ToleranceSource == "" || isDefaultSource(t.ToleranceSource):
		t.ToleranceSource = SetByUser
	}
	return t, idNode, nil
}

func orQuote(id, label string) string {
	if id != "" {
		return strconv.Quote(id)
	}
	if label != "" {
		return strconv.Quote(label)
	}
	return "(no id)"
}

var percentRE = regexp.MustCompile(`^\s*±?\s*([0-9.eE+-]+)\s*%\s*$`)

// tolerance reads {absolute: a, relative: r}, a number (absolute) or
// "N%" (relative).
func (p *parser) tolerance(n *yaml.Node) (Tolerance, error) {
	var t Tolerance
	const hint = "write tolerance: {absolute: 1}, {relative: 0.05} (5%), 1 or 5%"
	bad := func(format string, args ...any) (Tolerance, error) {
		e := p.errf(n, format, args...)
		e.Hint = hint
		return Tolerance{}, e
	}
	switch {
	case isNull(n):
		return t, nil
	case n.Kind == yaml.ScalarNode:
		s := strings.TrimSpace(n.Value)
		if m := percentRE.FindStringSubmatch(s); m != nil {
			r, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				return bad("tolerance %q is not a percentage", n.Value)
			}
			t.Relative = roundSig(r/100, 12)
		} else {
			a, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(s, "±")), 64)
			if err != nil {
				return bad("tolerance %q is not a number or a percentage", n.Value)
			}
			t.Absolute = a
		}
	case n.Kind == yaml.MappingNode:
		err := p.fields(n, "tolerance", []string{"absolute", "relative"}, func(k string, v *yaml.Node) error {
			if k == "absolute" {
				return p.scalar(v, "tolerance.absolute", &t.Absolute)
			}
			return p.scalar(v, "tolerance.relative", &t.Relative)
		})
		if err != nil {
			return Tolerance{}, err
		}
	default:
		return bad("tolerance must be a number, a percentage or {absolute, relative}")
	}
	switch {
	case !isFinite(t.Absolute) || !isFinite(t.Relative):
		return bad("tolerance must be finite")
	case t.Absolute < 0 || t.Relative < 0:
		return bad("tolerance must not be negative")
	case t.Relative > 1:
		e := p.errf(n, "relative tolerance %s is over 100%%", fmtNum(t.Relative))
		e.Hint = "relative is a fraction: 0.05 means 5% (or write tolerance: 5%)"
		return Tolerance{}, e
	}
	return t, nil
}

func (p *parser) aliases(n *yaml.Node, a *Aliases) error {
	if isNull(n) {
		return nil
	}
	return p.fields(n, "aliases", []string{"datasets", "metrics"}, func(k string, v *yaml.Node) error {
		if isNull(v) {
			return nil
		}
		m := map[string][]string{}
		fillers := datasetFillers
		if k == "metrics" {
			fillers = metricFillers
		}
		if v.Kind != yaml.MappingNode {
			return p.errf(v, "aliases.%s must map a canonical name to its other spellings", k)
		}
		seen := map[string]string{} // spelling key -> canonical
		for i := 0; i+1 < len(v.Content); i += 2 {
			cn, sn := deref(v.Content[i]), deref(v.Content[i+1])
			if cn.Kind != yaml.ScalarNode {
				return p.errf(cn, "aliases.%s: a canonical name must be a plain name", k)
			}
			canon := cn.Value
			if isNull(cn) {
				canon = ""
			}
			if _, dup := m[canon]; dup {
				return p.errf(cn, "aliases.%s: %q is given twice", k, canon)
			}
			var spellings []string
			switch {
			case isNull(sn):
			case sn.Kind == yaml.ScalarNode:
				spellings = []string{sn.Value}
			case sn.Kind == yaml.SequenceNode:
				for _, e := range sn.Content {
					e = deref(e)
					var s string
					if err := p.scalar(e, "an alias", &s); err != nil {
						return err
					}
					spellings = append(spellings, s)
				}
			default:
				return p.errf(sn, "aliases.%s.%s must be a list of names", k, canon)
			}
			ck := key(canon, fillers)
			for j, s := range spellings {
				sk := key(s, fillers)
				if other, ok := seen[sk]; ok && key(other, fillers) != ck {
					line := sn.Line
					if sn.Kind == yaml.SequenceNode {
						line = sn.Content[j].Line
					}
					e := &xerr.Error{Kind: xerr.KindInput, File: p.name, Line: line,
						Msg:  fmt.Sprintf("aliases.%s: %q is an alias of both %q and %q", k, s, other, canon),
						Hint: "give each spelling one canonical name"}
					return e
				}
				seen[sk] = canon
			}
			m[canon] = spellings
		}
		if len(m) == 0 {
			m = nil
		}
		if k == "datasets" {
			a.Datasets = m
		} else {
			a.Metrics = m
		}
		return nil
	})
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the known name within two edits of s, or "".
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if math.Abs(float64(len(a)-len(b))) > 3 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
