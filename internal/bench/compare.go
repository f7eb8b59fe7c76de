package bench

import (
	"encoding/json"
	"math"
	"strconv"
)

// Status is a target's outcome.
type Status string

// The statuses, as the JSON output spells them.
const (
	StatusOK     Status = "ok"      // |ours − paper| ≤ bound, or better than the paper
	StatusClose  Status = "close"   // ≤ 2 × bound
	StatusOff    Status = "off"     // further, or not a finite number
	StatusNotRun Status = "not_run" // no result
)

// Icon is the status's mark in Markdown: ✅ ⚠️ ❌ ⏳.
func (s Status) Icon() string {
	switch s {
	case StatusOK:
		return "✅"
	case StatusClose:
		return "⚠️"
	case StatusOff:
		return "❌"
	}
	return "⏳"
}

// The verdicts.
const (
	VerdictReproduced   = "REPRODUCED"
	VerdictPartially    = "PARTIALLY REPRODUCED"
	VerdictNot          = "NOT REPRODUCED"
	VerdictInconclusive = "INCONCLUSIVE"
)

// Rule states how the verdict is reached.
const Rule = "Targets marked skip are left out. INCONCLUSIVE when no target has a result; " +
	"REPRODUCED when every target has a result within its tolerance; " +
	"NOT REPRODUCED when at least half of the targets that have a result are off (further than twice the tolerance); " +
	"PARTIALLY REPRODUCED otherwise. " +
	"A result better than the paper's number (when the metric's direction is known) counts as within tolerance."

// Outcome is one target compared.
type Outcome struct {
	Target Target
	// Ours is the result on the paper's scale (see Scale), nil when not run.
	Ours   *float64
	Status Status
	// Result is the result that matched, nil when not run.
	Result *Result
	// Scale is what the result was multiplied by to be on the paper's scale:
	// 1, 100 (a 0–1 result against a percentage) or 0.01.
	Scale float64
	// Delta is ours − paper (0 when not run).
	Delta float64
	// Bound is the tolerance's allowed |ours − paper| for this target.
	Bound float64
	// Better is set when ours beats the paper by more than the bound in the
	// metric's direction (the status is then ok).
	Better bool
	// Note explains the outcome when there is more to say than the status:
	// scaling, beating the paper, a NaN.
	Note string
}

// Report is the comparison of a file's targets with results.
type Report struct {
	Verdict string
	Rule    string
	// Outcomes are in the file's target order.
	Outcomes []Outcome
	// Unmatched are the results that matched no target, in reading order.
	Unmatched []Result
	// Counts counts the outcomes of the targets that are not skipped.
	Counts map[Status]int
	// Skipped is the number of targets left out of the verdict.
	Skipped int
}

// resultKey identifies a result for "later replaces earlier".
type resultKey struct{ dataset, metric, setting string }

// Compare matches results to the file's targets and reaches the verdict
// (see the package documentation for the rules).
func Compare(f *File, rs []Result) *Report {
	nm := newNamer(f.Aliases)
	// Later results replace earlier ones with the same key.
	type entry struct {
		r       Result
		setting string
		idx     int
		used    bool
	}
	last := map[resultKey]int{}
	keys := make([]resultKey, len(rs))
	for i, r := range rs {
		k := resultKey{nm.dataset(r.Dataset), nm.metric(r.Metric), settingKey(r.Setting)}
		keys[i] = k
		last[k] = i
	}
	type dm struct{ dataset, metric string }
	byName := map[dm][]*entry{}
	var entries []*entry
	for i, r := range rs {
		k := keys[i]
		if last[k] != i {
			continue
		}
		e := &entry{r: r, setting: k.setting, idx: i}
		entries = append(entries, e)
		byName[dm{k.dataset, k.metric}] = append(byName[dm{k.dataset, k.metric}], e)
	}

	kinds := map[string]kind{} // metricKind, once per metric name
	rep := &Report{Rule: Rule, Counts: map[Status]int{StatusOK: 0, StatusClose: 0, StatusOff: 0, StatusNotRun: 0}}
	for _, t := range f.Targets {
		tk := dm{nm.dataset(t.Dataset), nm.metric(t.Metric)}
		ts := settingKey(t.Setting)
		var best *entry
		bestRank := -1
		for _, e := range byName[tk] {
			rank := 0
			switch {
			case e.setting != "" && ts != "":
				if e.setting != ts {
					continue
				}
				rank = 2
			case e.setting == "" && ts == "":
				rank = 1
			}
			if rank > bestRank || rank == bestRank && e.idx > best.idx {
				best, bestRank = e, rank
			}
		}
		o := Outcome{Target: t, Status: StatusNotRun, Bound: t.Tolerance.Bound(t.Value), Scale: 1}
		if best != nil {
			best.used = true
			r := best.r
			o.Result = &r
			k, ok := kinds[t.Metric]
			if !ok {
				k = metricKind(t.Metric)
				kinds[t.Metric] = k
			}
			judge(&o, r.Value, k)
		}
		rep.Outcomes = append(rep.Outcomes, o)
		if t.Skip {
			rep.Skipped++
		} else {
			rep.Counts[o.Status]++
		}
	}
	for _, e := range entries {
		if !e.used {
			rep.Unmatched = append(rep.Unmatched, e.r)
		}
	}
	rep.Verdict = verdict(rep.Counts)
	return rep
}

// judge sets an outcome's value, scale and status from a result's value;
// k is the target metric's kind.
func judge(o *Outcome, v float64, k kind) {
	t := &o.Target
	if !isFinite(v) {
		o.Ours = &v
		o.Status = StatusOff
		o.Note = "the result is " + fmtNum(v) + ", not a finite number"
		return
	}
	percentLike := k == kindPercent || k == kindBLEU || k == kindErrorRate
	paperPercent := t.Percent || percentLike && math.Abs(t.Value) > 1 && math.Abs(t.Value) <= 100
	switch {
	case paperPercent && math.Abs(t.Value) > 1 && v >= 0 && v <= 1:
		o.Scale = 100
		o.Note = "your " + fmtNum(v) + " read as " + fmtNum(roundSig(v*100, 12)) + " (a 0–1 value against the paper's percentage)"
		v = roundSig(v*100, 12)
	case !t.Percent && percentLike && t.Value >= 0 && t.Value <= 1 && v > 1 && v <= 100:
		o.Scale = 0.01
		o.Note = "your " + fmtNum(v) + " read as " + fmtNum(roundSig(v/100, 12)) + " (a percentage against the paper's 0–1 value)"
		v = roundSig(v/100, 12)
	}
	o.Ours = &v
	d := roundFor(v-t.Value, t.Value)
	o.Delta = d
	b := o.Bound
	switch ad := math.Abs(d); {
	case ad <= b:
		o.Status = StatusOK
	case t.HigherIsBetter != nil && *t.HigherIsBetter == (d > 0):
		o.Status = StatusOK
		o.Better = true
		note := "better than the paper by " + fmtNum(math.Abs(d))
		if *t.HigherIsBetter {
			note += " (higher is better)"
		} else {
			note += " (lower is better)"
		}
		o.Note = joinNotes(o.Note, note)
	case ad <= 2*b:
		o.Status = StatusClose
	default:
		o.Status = StatusOff
	}
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func verdict(c map[Status]int) string {
	with := c[StatusOK] + c[StatusClose] + c[StatusOff]
	switch {
	case with == 0:
		return VerdictInconclusive
	case c[StatusClose] == 0 && c[StatusOff] == 0 && c[StatusNotRun] == 0:
		return VerdictReproduced
	case 2*c[StatusOff] >= with:
		return VerdictNot
	}
	return VerdictPartially
}

// Failed reports whether the verdict is anything but REPRODUCED.
func (r *Report) Failed() bool { return r.Verdict != VerdictReproduced }

// Summary is one line: the verdict and the counts.
func (r *Report) Summary() string {
	total := r.Counts[StatusOK] + r.Counts[StatusClose] + r.Counts[StatusOff] + r.Counts[StatusNotRun]
	targets := " targets"
	if total == 1 {
		targets = " target"
	}
	s := r.Verdict + ": " + strconv.Itoa(r.Counts[StatusOK]) + " of " + strconv.Itoa(total) + targets + " within tolerance, " +
		strconv.Itoa(r.Counts[StatusClose]) + " close, " + strconv.Itoa(r.Counts[StatusOff]) + " off, " +
		strconv.Itoa(r.Counts[StatusNotRun]) + " not run"
	if r.Skipped > 0 {
		s += ", " + strconv.Itoa(r.Skipped) + " skipped"
	}
	return s
}

type jsonCounts struct {
	OK      int `json:"ok"`
	Close   int `json:"close"`
	Off     int `json:"off"`
	NotRun  int `json:"not_run"`
	Skipped int `json:"skipped"`
}

type jsonTarget struct {
	ID              string      `json:"id"`
	PaperID         string      `json:"paper_id,omitempty"`
	Method          string      `json:"method,omitempty"`
	Dataset         string      `json:"dataset"`
	Metric          string      `json:"metric"`
	Setting         string      `json:"setting"`
	Paper           float64     `json:"paper"`
	Ours            *float64    `json:"ours"`
	Delta           *float64    `json:"delta"`
	Tolerance       float64     `json:"tolerance"`
	ToleranceKind   string      `json:"tolerance_kind"`
	ToleranceSource string      `json:"tolerance_source,omitempty"`
	Status          Status      `json:"status"`
	Skip            bool        `json:"skip,omitempty"`
	Better          bool        `json:"better,omitempty"`
	Scale           float64     `json:"scale,omitempty"`
	Note            string      `json:"note,omitempty"`
	Result          *jsonResult `json:"result,omitempty"`
	Source          Source      `json:"source"`
}

type jsonReport struct {
	Verdict   string        `json:"verdict"`
	Rule      string        `json:"rule"`
	Summary   string        `json:"summary"`
	Counts    jsonCounts    `json:"counts"`
	Targets   []jsonTarget  `json:"targets"`
	Unmatched []*jsonResult `json:"unmatched"`
}

// JSON is the report for --json: verdict, rule, counts, targets (id,
// dataset, metric, setting, paper, ours (null when not run or not a finite
// number), delta, tolerance (the bound, a number), tolerance_kind (how it
// was set: "±1 (absolute)", "±5%"), status (ok, close, off, not_run), the
// matched result and the source in the paper) and the unmatched results.
func (r *Report) JSON() []byte {
	out := jsonReport{
		Verdict: r.Verdict,
		Rule:    r.Rule,
		Summary: r.Summary(),
		Counts: jsonCounts{
			OK: r.Counts[StatusOK], Close: r.Counts[StatusClose], Off: r.Counts[StatusOff],
			NotRun: r.Counts[StatusNotRun], Skipped: r.Skipped,
		},
		Targets:   []jsonTarget{},
		Unmatched: []*jsonResult{},
	}
	for _, o := range r.Outcomes {
		t := o.Target
		jt := jsonTarget{
			ID: t.ID, PaperID: t.Paper, Method: t.Method,
			Dataset: t.Dataset, Metric: t.Metric, Setting: t.Setting,
			Paper:     t.Value,
			Tolerance: o.Bound, ToleranceKind: t.Tolerance.String(), ToleranceSource: t.ToleranceSource,
			Status: o.Status, Skip: t.Skip, Better: o.Better, Note: o.Note,
			Result: toJSONResult(o.Result), Source: t.Source,
		}
		if o.Scale != 1 && o.Scale != 0 {
			jt.Scale = o.Scale
		}
		if o.Ours != nil && isFinite(*o.Ours) {
			v, d := *o.Ours, o.Delta
			jt.Ours, jt.Delta = &v, &d
		}
		out.Targets = append(out.Targets, jt)
	}
	for _, u := range r.Unmatched {
		out.Unmatched = append(out.Unmatched, toJSONResult(&u))
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err) // plain data, finite numbers: cannot fail
	}
	return append(b, '\n')
}

type jsonResult struct {
	Dataset string   `json:"dataset"`
	Metric  string   `json:"metric"`
	Setting string   `json:"setting,omitempty"`
	Value   *float64 `json:"value"` // null when not a finite number
	File    string   `json:"file,omitempty"`
	Line    int      `json:"line,omitempty"`
	Step    int64    `json:"step,omitempty"`
}

func toJSONResult(r *Result) *jsonResult {
	if r == nil {
		return nil
	}
	j := &jsonResult{Dataset: r.Dataset, Metric: r.Metric, Setting: r.Setting, File: r.File, Line: r.Line, Step: r.Step}
	if isFinite(r.Value) {
		v := r.Value
		j.Value = &v
	}
	return j
}
