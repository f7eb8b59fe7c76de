// Package bench compares a reproduction's results with the numbers its paper
// reports.
//
// The paper's numbers are benchmark targets (Target), built from the
// extractor's doc.Result values with FromResults and kept in the project's
// benchmarks.yaml (File: Marshal, Parse, Load), which the user may edit.
// ReadResults reads the user's results (CSV, JSON, JSON Lines, TensorBoard
// event files); Compare matches them to the targets and gives a Report with
// a status per target and a verdict, rendered as JSON, Markdown, a README
// table and an SVG chart.
//
// The rules, stated once here and in the Markdown and JSON output:
//
// Matching. Dataset and metric names are compared after normalisation: case,
// spaces, punctuation and every kind of dash are ignored ("SST-2", "sst 2"
// and "SST–2" are one name), as are filler words ("Test Acc." is "acc", "F1
// score" is "f1", "CIFAR-10 (test set)" is "cifar10"). Common metric
// spellings are built in (acc/accuracy/top-1, ppl/perplexity, f1/F-score,
// em/exact match, ...; see builtinMetrics) and the file's aliases add more.
// A result with a setting matches a target with a setting only when the two
// settings are equal (as sets of their "/"-separated parts); a result or a
// target without a setting matches either way. A result may match several
// targets (the same dataset and metric in two tables): it counts for all of
// them. When several results match one target, the one whose setting
// matches exactly wins, then the one read last. Results read later replace
// earlier ones with the same dataset, metric and setting. Results that match
// no target are listed as unmatched.
//
// Percent scale. "Percentage-like" metrics are the accuracy-like ones
// (accuracy, F1, precision, recall, EM, AUC, mAP, IoU, correlations),
// BLEU/ROUGE and error rates. When the target is on a 0–100 scale (Percent,
// or a percentage-like metric whose paper value is in (1, 100]) and the
// result lies in [0, 1], the result is multiplied by 100. When the target
// is a percentage-like metric on a 0–1 scale (not Percent, paper value in
// [0, 1]) and the result lies in (1, 100], it is divided by 100. Either way
// the outcome's note says so.
//
// Status. With d = |ours − paper| and b the tolerance's bound: d ≤ b is ok,
// d ≤ 2b is close, anything else is off; a target without a result is not
// run. A result better than the paper's (in the metric's known direction)
// is ok however far it is, with a note. A NaN or infinite result is off.
//
// Verdict. Skipped targets are left out. INCONCLUSIVE when no target has a
// result (or there are no targets); REPRODUCED when every target has a
// result within tolerance; NOT REPRODUCED when at least half of the targets
// that have a result are off; PARTIALLY REPRODUCED otherwise.
package bench

import (
	"math"
	"strconv"
	"strings"

	"github.com/reprohq/repro/doc"
)

// Tolerance is how far a result may be from the paper's number. The bound
// is the larger of Absolute and Relative×|paper|; Relative is a fraction
// (0.05 is 5%).
type Tolerance struct {
	Absolute float64 `yaml:"absolute,omitempty" json:"absolute,omitempty"`
	Relative float64 `yaml:"relative,omitempty" json:"relative,omitempty"`
}

// Bound returns the allowed |ours − paper|.
func (t Tolerance) Bound(paper float64) float64 {
	return roundFor(math.Max(t.Absolute, t.Relative*math.Abs(paper)), paper)
}

// String says the tolerance as a reader would: "±1 (absolute)", "±5%",
// "±1 or ±5%, whichever is larger", "exact".
func (t Tolerance) String() string {
	switch {
	case t.Absolute > 0 && t.Relative > 0:
		return "±" + fmtNum(t.Absolute) + " or ±" + fmtNum(roundSig(t.Relative*100, 12)) + "%, whichever is larger"
	case t.Absolute > 0:
		return "±" + fmtNum(t.Absolute) + " (absolute)"
	case t.Relative > 0:
		return "±" + fmtNum(roundSig(t.Relative*100, 12)) + "%"
	}
	return "exact"
}

// Source says where a target was found in the paper.
type Source struct {
	Table   string `yaml:"table,omitempty" json:"table,omitempty"` // table number
	Caption string `yaml:"caption,omitempty" json:"caption,omitempty"`
	Row     string `yaml:"row,omitempty" json:"row,omitempty"`
	Column  string `yaml:"column,omitempty" json:"column,omitempty"`
	Section string `yaml:"section,omitempty" json:"section,omitempty"`
	File    string `yaml:"file,omitempty" json:"file,omitempty"`
	Line    int    `yaml:"line,omitempty" json:"line,omitempty"`
}

// Target is one number the paper reports and the project tries to reproduce.
type Target struct {
	// ID is stable, unique in the file and readable: "t2-sst-2-accuracy",
	// suffixed with -2, -3... on clashes.
	ID string `yaml:"id" json:"id"`
	// Paper is the paper's file id in a multi-paper project, or "".
	Paper   string `yaml:"paper_id,omitempty" json:"paper_id,omitempty"`
	Method  string `yaml:"method,omitempty" json:"method,omitempty"`
	Dataset string `yaml:"dataset" json:"dataset"`
	Metric  string `yaml:"metric" json:"metric"`
	Setting string `yaml:"setting,omitempty" json:"setting,omitempty"`
	// Value is the paper's number.
	Value float64 `yaml:"paper" json:"paper"`
	Raw   string  `yaml:"raw,omitempty" json:"raw,omitempty"` // as printed
	// PlusMinus is the paper's ± when it prints one.
	PlusMinus *float64 `yaml:"plus_minus,omitempty" json:"plus_minus,omitempty"`
	// Percent is set when the paper's number is on a 0–100 scale.
	Percent        bool      `yaml:"percent,omitempty" json:"percent,omitempty"`
	HigherIsBetter *bool     `yaml:"higher_is_better,omitempty" json:"higher_is_better,omitempty"`
	Tolerance      Tolerance `yaml:"tolerance,flow" json:"tolerance"`
	// ToleranceSource says why this tolerance: "default for accuracy-like
	// metrics in points (±1)", "the paper's ±0.4, doubled", "set by the user".
	ToleranceSource string `yaml:"tolerance_source,omitempty" json:"tolerance_source,omitempty"`
	// Skip leaves the target out of the verdict.
	Skip   bool   `yaml:"skip,omitempty" json:"skip,omitempty"`
	Source Source `yaml:"source,omitempty" json:"source"`
}

// Label is "dataset · metric", or the one that is set.
func (t *Target) Label() string {
	switch {
	case t.Dataset != "" && t.Metric != "":
		return t.Dataset + " · " + t.Metric
	case t.Dataset != "":
		return t.Dataset
	}
	return t.Metric
}

// Aliases are other spellings of dataset and metric names, by canonical
// name.
type Aliases struct {
	Datasets map[string][]string `yaml:"datasets" json:"datasets,omitempty"`
	Metrics  map[string][]string `yaml:"metrics" json:"metrics,omitempty"`
}

// Version is the version of benchmarks.yaml's format.
const Version = 1

// File is benchmarks.yaml.
type File struct {
	Version int      `yaml:"version" json:"version"`
	Targets []Target `yaml:"targets" json:"targets"`
	Aliases Aliases  `yaml:"aliases" json:"aliases"`
}

// NewFile returns a file holding targets, with unique ids.
func NewFile(targets []Target) *File {
	f := &File{Version: Version}
	f.Add(targets...)
	return f
}

// Add appends targets, suffixing an id that is empty or already taken
// (-2, -3, ...).
func (f *File) Add(ts ...Target) {
	taken := map[string]bool{}
	for _, t := range f.Targets {
		taken[t.ID] = true
	}
	for _, t := range ts {
		if t.ID == "" {
			t.ID = targetID(t.Source.Table, t.Dataset, t.Metric, t.Setting)
		}
		t.ID = uniqueID(t.ID, taken)
		f.Targets = append(f.Targets, t)
	}
}

// Merge adds the targets of a fresh extraction whose ids the file does not
// hold yet, and returns how many it added. Targets already in the file are
// kept as they are (the user may have edited them), as are targets the
// fresh extraction no longer has (the user may have added them).
func (f *File) Merge(fresh []Target) int {
	have := map[string]bool{}
	for _, t := range f.Targets {
		have[t.ID] = true
	}
	var add []Target
	for _, t := range fresh {
		if t.ID == "" || !have[t.ID] {
			add = append(add, t)
		}
	}
	f.Add(add...)
	return len(add)
}

func uniqueID(id string, taken map[string]bool) string {
	out := id
	for n := 2; taken[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	taken[out] = true
	return out
}

// maxIDLen caps an id's length; it is cut at a dash.
const maxIDLen = 60

// targetID is "t<table>-<dataset>-<metric>[-<setting>]" in slug form.
func targetID(table, dataset, metric, setting string) string {
	var parts []string
	if s := slug(table); s != "" {
		parts = append(parts, "t"+s)
	}
	for _, p := range []string{dataset, metric, setting} {
		if s := slug(p); s != "" {
			parts = append(parts, s)
		}
	}
	id := strings.Join(parts, "-")
	if len(id) > maxIDLen {
		cut := strings.LastIndexByte(id[:maxIDLen+1], '-')
		if cut <= 0 {
			cut = maxIDLen
			for cut > 0 && id[cut]&0xC0 == 0x80 { // not inside a rune
				cut--
			}
		}
		id = id[:cut]
	}
	if id == "" {
		id = "target"
	}
	return id
}

// FromResults turns the extractor's results for one paper into targets,
// in the extractor's order: ids from the table, dataset, metric and setting,
// the default tolerance for the metric (DefaultTolerance), the direction
// from the paper or else from the metric's usual sense. Exact duplicates
// (same table, row, column and value) are dropped.
func FromResults(paperID string, rs []doc.Result) []Target {
	type dupKey struct {
		table, row, column, dataset, metric, setting string
		value                                        float64
	}
	seen := map[dupKey]bool{}
	taken := map[string]bool{}
	var out []Target
	for _, r := range rs {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			continue
		}
		dk := dupKey{r.Source.Table, r.Row, r.Column, r.Dataset, r.Metric, r.Setting, r.Value}
		if seen[dk] {
			continue
		}
		seen[dk] = true
		tol, why := DefaultTolerance(r.Metric, r.Value, r.Percent, r.PlusMinus)
		t := Target{
			ID:              uniqueID(targetID(r.Source.Table, r.Dataset, r.Metric, r.Setting), taken),
			Paper:           paperID,
			Method:          r.Method,
			Dataset:         r.Dataset,
			Metric:          r.Metric,
			Setting:         r.Setting,
			Value:           r.Value,
			Raw:             r.Raw,
			Percent:         r.Percent,
			HigherIsBetter:  r.HigherIsBetter,
			Tolerance:       tol,
			ToleranceSource: why,
			Source: Source{
				Table:   r.Source.Table,
				Caption: r.Source.Quote,
				Row:     r.Row,
				Column:  r.Column,
				Section: r.Source.Section,
				File:    r.Source.File,
				Line:    r.Source.Line,
			},
		}
		if r.PlusMinus != nil && isFinite(*r.PlusMinus) {
			pm := *r.PlusMinus
			t.PlusMinus = &pm
		}
		if t.HigherIsBetter == nil {
			t.HigherIsBetter = direction(r.Metric)
		} else {
			h := *t.HigherIsBetter
			t.HigherIsBetter = &h
		}
		out = append(out, t)
	}
	return out
}

// DefaultTolerance is the tolerance for a metric's number and the reason
// for it:
//
//   - accuracy-like metrics (accuracy, F1, precision, recall, EM, AUC, mAP,
//     IoU, correlations) ±1 point on a 0–100 scale (percent, or a value
//     above 1), ±0.01 on a 0–1 scale;
//   - BLEU, ROUGE, METEOR, chrF the same: ±1 point, ±0.01 on a 0–1 scale;
//   - error rates (error, WER, CER) in percent ±1 point like accuracy;
//     on a 0–1 scale ±5% relative, like losses (loss, MSE, MAE, NLL);
//   - perplexity ±5% relative; FID, IS, KID ±5% relative;
//   - RL returns and rewards ±10% relative;
//   - anything else ±2% relative.
//
// A ± printed by the paper (plusMinus, on the value's scale) widens the
// tolerance to twice it, absolute, when that is wider than the default:
// a reproduction within two of the paper's spreads is within tolerance.
func DefaultTolerance(metric string, value float64, percent bool, plusMinus *float64) (Tolerance, string) {
	pct := percent || math.Abs(value) > 1
	var tol Tolerance
	var why string
	switch metricKind(metric) {
	case kindPercent:
		if pct {
			tol, why = Tolerance{Absolute: 1}, "default for accuracy-like metrics in points (±1)"
		} else {
			tol, why = Tolerance{Absolute: 0.01}, "default for accuracy-like metrics on a 0–1 scale (±0.01)"
		}
	case kindBLEU:
		if pct {
			tol, why = Tolerance{Absolute: 1}, "default for BLEU/ROUGE in points (±1)"
		} else {
			tol, why = Tolerance{Absolute: 0.01}, "default for BLEU/ROUGE on a 0–1 scale (±0.01)"
		}
	case kindErrorRate:
		if pct {
			tol, why = Tolerance{Absolute: 1}, "default for error rates in percent (±1 point)"
		} else {
			tol, why = Tolerance{Relative: 0.05}, "default for losses and errors (±5%)"
		}
	case kindLoss:
		tol, why = Tolerance{Relative: 0.05}, "default for losses and errors (±5%)"
	case kindPerplexity:
		tol, why = Tolerance{Relative: 0.05}, "default for perplexity (±5%)"
	case kindFID:
		tol, why = Tolerance{Relative: 0.05}, "default for FID/IS (±5%)"
	case kindReturn:
		tol, why = Tolerance{Relative: 0.10}, "default for RL returns (±10%)"
	default:
		tol, why = Tolerance{Relative: 0.02}, "default for other metrics (±2%)"
	}
	if plusMinus != nil && isFinite(*plusMinus) && *plusMinus > 0 {
		pm := *plusMinus
		if w := roundSig(2*pm, 12); w > tol.Bound(value) {
			return Tolerance{Absolute: w}, "the paper's ±" + fmtNum(pm) + ", doubled"
		}
	}
	return tol, why
}

// isDefaultSource reports whether a tolerance source is one that
// DefaultTolerance writes.
func isDefaultSource(s string) bool {
	return strings.HasPrefix(s, "default for ") || strings.HasPrefix(s, "the paper's ±")
}

// SetByUser is the tolerance source of a tolerance the user changed.
const SetByUser = "set by the user"

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// roundSig rounds f to n significant digits, removing float noise such as
// 91.30000000000001.
func roundSig(f float64, n int) float64 {
	if !isFinite(f) || f == 0 {
		return f
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', n, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// roundFor rounds a difference or bound computed from numbers of ref's
// size to 12 significant digits of ref, so that 92.3 − 91.3 is exactly 1.
func roundFor(f, ref float64) float64 {
	if !isFinite(f) || f == 0 {
		return f
	}
	m := math.Max(math.Abs(ref), math.Abs(f))
	if m == 0 || !isFinite(m) {
		return f
	}
	dec := 11 - int(math.Floor(math.Log10(m)))
	if dec < 0 || dec > 300 {
		return roundSig(f, 12)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'f', dec, 64), 64)
	if err != nil || !isFinite(r) {
		return f
	}
	return r
}

// fmtNum prints a number briefly: 91.3, 0.01, 1e+20, NaN.
func fmtNum(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	a := math.Abs(f)
	if a != 0 && (a >= 1e15 || a < 1e-6) {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return strconv.FormatFloat(roundSig(f, 12), 'f', -1, 64)
}

// fmtFixed prints f with dec decimals (trailing zeros kept, so a column
// lines up); very large or small numbers fall back to fmtNum.
func fmtFixed(f float64, dec int) string {
	a := math.Abs(f)
	if !isFinite(f) || a != 0 && (a >= 1e15 || a < 1e-6) {
		return fmtNum(f)
	}
	s := strconv.FormatFloat(f, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}

// decimals is how many decimals the paper printed for a target (from Raw,
// else from the value), plus one, at most 6: the precision at which ours
// and the difference are printed. A whole number of 100 or more gets none.
func decimals(t *Target) int {
	d := -1
	if raw := firstNumber(t.Raw); raw != "" {
		if i := strings.IndexByte(raw, '.'); i >= 0 {
			d = len(raw) - i - 1
		} else {
			d = 0
		}
	}
	if d < 0 {
		s := fmtNum(t.Value)
		if strings.ContainsAny(s, "eE") {
			return 3
		}
		if i := strings.IndexByte(s, '.'); i >= 0 {
			d = len(s) - i - 1
		} else {
			d = 0
		}
	}
	if d == 0 && math.Abs(t.Value) >= 100 {
		return 0 // 10250 against 9800, not 9800.0
	}
	return min(max(d+1, 1), 6)
}

// firstNumber returns the first number in s, without thousands separators.
func firstNumber(s string) string {
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return ""
	}
	end := start
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == ',' && end+1 < len(s) && s[end+1] >= '0' && s[end+1] <= '9') {
		end++
	}
	return strings.ReplaceAll(strings.TrimRight(s[start:end], "."), ",", "")
}

// signed prints a difference with its sign: +0.28, −0.28 (a minus sign).
func signed(f float64, dec int) string {
	if !isFinite(f) {
		return fmtNum(f)
	}
	s := fmtFixed(f, dec)
	switch {
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	case strings.Trim(s, "0.") == "":
		return "±" + s
	}
	return "+" + s
}
