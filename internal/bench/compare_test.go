package bench

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
)

func target(id, dataset, metric, setting string, paper float64, tol Tolerance) Target {
	return Target{ID: id, Dataset: dataset, Metric: metric, Setting: setting, Value: paper, Tolerance: tol}
}

func res(dataset, metric, setting string, v float64) Result {
	return Result{Dataset: dataset, Metric: metric, Setting: setting, Value: v, File: "r.csv"}
}

// matched returns, per target id, the value of the result that matched or
// "-", and the unmatched results.
func matched(rep *Report) (string, string) {
	var m, u []string
	for _, o := range rep.Outcomes {
		v := "-"
		if o.Result != nil {
			v = fmtNum(o.Result.Value)
		}
		m = append(m, o.Target.ID+"="+v)
	}
	for _, r := range rep.Unmatched {
		u = append(u, r.Label()+"="+fmtNum(r.Value))
	}
	return strings.Join(m, " "), strings.Join(u, " ")
}

func TestCompareMatching(t *testing.T) {
	abs1 := Tolerance{Absolute: 1}
	tests := []struct {
		name      string
		targets   []Target
		aliases   Aliases
		results   []Result
		want      string
		unmatched string
	}{
		{"normalised names",
			[]Target{target("a", "SST-2", "Acc.", "", 91, abs1), target("b", "WikiText–103", "PPL ↓", "", 24, abs1)},
			Aliases{},
			[]Result{res("sst2", "accuracy", "", 90), res("wikitext 103", "perplexity", "", 23)},
			"a=90 b=23", ""},
		{"file aliases",
			[]Target{target("a", "SST-2", "Acc.", "", 91, abs1)},
			Aliases{Datasets: map[string][]string{"SST-2": {"glue/sst"}}, Metrics: map[string][]string{"Acc.": {"val_top1"}}},
			[]Result{res("glue/sst", "val_top1", "", 90)},
			"a=90", ""},
		{"one result, two targets",
			[]Target{target("t2", "SST-2", "Acc", "", 91, abs1), target("t5", "SST-2", "Acc", "", 91.5, abs1)},
			Aliases{},
			[]Result{res("SST-2", "acc", "", 90)},
			"t2=90 t5=90", ""},
		{"settings must agree when both have one",
			[]Target{target("base", "WT103", "PPL", "Base", 24, abs1), target("large", "WT103", "PPL", "Large", 18, abs1)},
			Aliases{},
			[]Result{res("WT103", "ppl", "base", 23), res("WT103", "ppl", "huge", 15)},
			"base=23 large=-", "WT103 · ppl=15"},
		{"a result without a setting matches every setting",
			[]Target{target("base", "WT103", "PPL", "Base", 24, abs1), target("large", "WT103", "PPL", "Large", 18, abs1)},
			Aliases{},
			[]Result{res("WT103", "ppl", "", 20)},
			"base=20 large=20", ""},
		{"the exact setting wins over a result without one",
			[]Target{target("base", "WT103", "PPL", "Base", 24, abs1), target("any", "WT103", "PPL", "", 24, abs1)},
			Aliases{},
			[]Result{res("WT103", "ppl", "base", 23), res("WT103", "ppl", "", 25)},
			"base=23 any=25", ""},
		{"a target without a setting takes a result with one",
			[]Target{target("any", "WT103", "PPL", "", 24, abs1)},
			Aliases{},
			[]Result{res("WT103", "ppl", "dev / large", 23)},
			"any=23", ""},
		{"settings compare as sets",
			[]Target{target("x", "WT103", "PPL", "Large / dev", 24, abs1)},
			Aliases{},
			[]Result{res("WT103", "ppl", "dev, large", 23)},
			"x=23", ""},
		{"later results replace earlier ones",
			[]Target{target("a", "SST-2", "Acc", "", 91, abs1)},
			Aliases{},
			[]Result{res("SST-2", "acc", "", 80), res("sst2", "accuracy", "", 90), res("other", "acc", "", 1), res("other", "acc", "", 2)},
			"a=90", "other · acc=2"},
		{"no dataset matches no dataset only",
			[]Target{target("a", "", "PPL", "", 24, abs1), target("b", "PTB", "PPL", "", 60, abs1)},
			Aliases{},
			[]Result{res("", "ppl", "", 23), res("penn treebank", "ppl", "", 61)},
			"a=23 b=61", ""},
		{"nothing matches",
			[]Target{target("a", "SST-2", "Acc", "", 91, abs1)},
			Aliases{},
			[]Result{res("SST-2", "f1", "", 90), res("CIFAR-10", "acc", "", 90)},
			"a=-", "SST-2 · f1=90 CIFAR-10 · acc=90"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &File{Version: Version, Targets: tt.targets, Aliases: tt.aliases}
			m, u := matched(Compare(f, tt.results))
			if m != tt.want || u != tt.unmatched {
				t.Errorf("matched %q, unmatched %q; want %q, %q", m, u, tt.want, tt.unmatched)
			}
		})
	}
}

func TestCompareStatus(t *testing.T) {
	up, down := bp(true), bp(false)
	tests := []struct {
		name    string
		paper   float64
		percent bool
		metric  string
		higher  *bool
		tol     Tolerance
		ours    float64
		status  Status
		value   float64 // ours on the paper's scale
		scale   float64
		note    string
	}{
		{"exact", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 91.3, StatusOK, 91.3, 1, ""},
		{"at the bound", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 92.3, StatusOK, 92.3, 1, ""},
		{"just over the bound", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 92.31, StatusClose, 92.31, 1, ""},
		{"at twice the bound", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 89.3, StatusClose, 89.3, 1, ""},
		{"over twice", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 89.2, StatusOff, 89.2, 1, ""},
		{"relative bound", 24.3, false, "ppl", nil, Tolerance{Relative: 0.05}, 25.5, StatusOK, 25.5, 1, ""},
		{"relative close", 24.3, false, "ppl", nil, Tolerance{Relative: 0.05}, 26.6, StatusClose, 26.6, 1, ""},
		{"zero tolerance", 3, false, "x", nil, Tolerance{}, 3.0001, StatusOff, 3.0001, 1, ""},
		{"better, higher is better", 91.3, true, "acc", up, Tolerance{Absolute: 1}, 95, StatusOK, 95, 1, "better than the paper by 3.7 (higher is better)"},
		{"worse, higher is better", 91.3, true, "acc", up, Tolerance{Absolute: 1}, 87, StatusOff, 87, 1, ""},
		{"better, lower is better", 24.3, false, "ppl", down, Tolerance{Relative: 0.05}, 20, StatusOK, 20, 1, "better than the paper by 4.3 (lower is better)"},
		{"worse, lower is better", 24.3, false, "ppl", down, Tolerance{Relative: 0.05}, 30, StatusOff, 30, 1, ""},
		{"better, direction unknown", 24.3, false, "ppl", nil, Tolerance{Relative: 0.05}, 20, StatusOff, 20, 1, ""},
		{"0–1 result, percent paper", 91.3, true, "Acc.", nil, Tolerance{Absolute: 1}, 0.913, StatusOK, 91.3, 100, "your 0.913 read as 91.3"},
		{"0–1 result, accuracy above 1", 91.3, false, "accuracy", nil, Tolerance{Absolute: 1}, 0.905, StatusOK, 90.5, 100, "(a 0–1 value against the paper's percentage)"},
		{"percent result, 0–1 paper", 0.913, false, "accuracy", nil, Tolerance{Absolute: 0.01}, 91.0, StatusOK, 0.91, 0.01, "your 91 read as 0.91"},
		{"no scaling for perplexity", 1.5, false, "ppl", nil, Tolerance{Relative: 0.05}, 0.9, StatusOff, 0.9, 1, ""},
		{"no scaling for a result above 1", 91.3, true, "acc", nil, Tolerance{Absolute: 1}, 1.5, StatusOff, 1.5, 1, ""},
		{"NaN", 2.5, false, "loss", down, Tolerance{Relative: 0.05}, math.NaN(), StatusOff, math.NaN(), 1, "not a finite number"},
		{"+Inf", 2.5, false, "loss", down, Tolerance{Relative: 0.05}, math.Inf(1), StatusOff, math.Inf(1), 1, "+Inf, not a finite number"},
		{"negative values", -20, false, "return", up, Tolerance{Relative: 0.1}, -21, StatusOK, -21, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := Target{ID: "x", Dataset: "D", Metric: tt.metric, Value: tt.paper, Percent: tt.percent, HigherIsBetter: tt.higher, Tolerance: tt.tol}
			rep := Compare(NewFile([]Target{tg}), []Result{{Dataset: "D", Metric: tt.metric, Value: tt.ours}})
			o := rep.Outcomes[0]
			if o.Status != tt.status {
				t.Errorf("status %s, want %s (delta %v, bound %v)", o.Status, tt.status, o.Delta, o.Bound)
			}
			if o.Ours == nil || !(*o.Ours == tt.value || math.IsNaN(tt.value) && math.IsNaN(*o.Ours)) {
				t.Errorf("ours %v, want %v", o.Ours, tt.value)
			}
			if o.Scale != tt.scale {
				t.Errorf("scale %v, want %v", o.Scale, tt.scale)
			}
			if tt.note == "" && o.Note != "" || !strings.Contains(o.Note, tt.note) {
				t.Errorf("note %q, want %q", o.Note, tt.note)
			}
			if o.Better != strings.Contains(tt.note, "better") {
				t.Errorf("better %v", o.Better)
			}
			if !json.Valid(rep.JSON()) {
				t.Errorf("invalid JSON:\n%s", rep.JSON())
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		ok, close, off, notRun int
		want                   string
	}{
		{0, 0, 0, 0, VerdictInconclusive},
		{0, 0, 0, 3, VerdictInconclusive},
		{3, 0, 0, 0, VerdictReproduced},
		{1, 0, 0, 0, VerdictReproduced},
		{3, 0, 0, 1, VerdictPartially},
		{3, 1, 0, 0, VerdictPartially},
		{2, 0, 1, 0, VerdictPartially},
		{1, 0, 1, 0, VerdictNot},
		{0, 0, 1, 5, VerdictNot},
		{1, 1, 2, 0, VerdictNot},
		{2, 1, 1, 0, VerdictPartially},
		{0, 2, 0, 0, VerdictPartially},
	}
	for _, tt := range tests {
		c := map[Status]int{StatusOK: tt.ok, StatusClose: tt.close, StatusOff: tt.off, StatusNotRun: tt.notRun}
		if got := verdict(c); got != tt.want {
			t.Errorf("verdict(%v) = %s, want %s", c, got, tt.want)
		}
	}
}

func TestCompareVerdictAndSkip(t *testing.T) {
	abs1 := Tolerance{Absolute: 1}
	f := NewFile([]Target{
		target("a", "A", "acc", "", 90, abs1),
		target("b", "B", "acc", "", 90, abs1),
		target("c", "C", "acc", "", 90, abs1),
	})
	f.Targets[2].Skip = true
	rs := []Result{res("A", "acc", "", 90.5), res("B", "acc", "", 89.9), res("C", "acc", "", 10)}
	rep := Compare(f, rs)
	if rep.Verdict != VerdictReproduced || rep.Failed() || rep.Skipped != 1 || rep.Counts[StatusOK] != 2 || rep.Counts[StatusOff] != 0 {
		t.Errorf("verdict %s, counts %v, skipped %d", rep.Verdict, rep.Counts, rep.Skipped)
	}
	if rep.Outcomes[2].Status != StatusOff {
		t.Errorf("a skipped target is still compared: %s", rep.Outcomes[2].Status)
	}
	// Without results: every target not run, INCONCLUSIVE, failed.
	rep = Compare(f, nil)
	if rep.Verdict != VerdictInconclusive || !rep.Failed() || rep.Counts[StatusNotRun] != 2 {
		t.Errorf("no results: %s %v", rep.Verdict, rep.Counts)
	}
	var j struct {
		Verdict string `json:"verdict"`
		Targets []struct {
			ID     string   `json:"id"`
			Status string   `json:"status"`
			Ours   *float64 `json:"ours"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(rep.JSON(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Verdict != VerdictInconclusive || len(j.Targets) != 3 {
		t.Fatalf("%+v", j)
	}
	for _, tg := range j.Targets {
		if tg.Status != "not_run" || tg.Ours != nil {
			t.Errorf("%+v", tg)
		}
	}
	// No targets at all.
	if rep := Compare(NewFile(nil), rs); rep.Verdict != VerdictInconclusive || len(rep.Unmatched) != 3 {
		t.Errorf("no targets: %s, %d unmatched", rep.Verdict, len(rep.Unmatched))
	}
}

func TestJSONFields(t *testing.T) {
	var j map[string]any
	if err := json.Unmarshal(sampleReport(t).JSON(), &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "rule", "counts", "targets", "unmatched"} {
		if _, ok := j[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	tg := j["targets"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "dataset", "metric", "setting", "paper", "ours", "tolerance", "tolerance_kind", "status", "source"} {
		if _, ok := tg[k]; !ok {
			t.Errorf("target has no %q", k)
		}
	}
	if tg["tolerance"] != 1.0 || tg["status"] != "ok" || tg["ours"] != 91.02 || tg["paper"] != 91.3 {
		t.Errorf("first target %v", tg)
	}
	// A NaN result is null, never NaN (which JSON cannot hold).
	f := NewFile([]Target{target("a", "A", "loss", "", 1, Tolerance{Relative: 0.05})})
	out := Compare(f, []Result{res("A", "loss", "", math.NaN()), res("B", "loss", "", math.Inf(-1))}).JSON()
	if !json.Valid(out) || !bytes.Contains(out, []byte(`"ours": null`)) || !bytes.Contains(out, []byte(`"value": null`)) {
		t.Errorf("NaN JSON:\n%s", out)
	}
}

func TestMarkdown(t *testing.T) {
	rep := sampleReport(t)
	md := string(rep.Markdown("benchmarks.svg"))
	for _, want := range []string{"**Verdict: PARTIALLY REPRODUCED.**", "Rule: ", "| ✅ | SST-2 | Acc. |", "| ⏳ | CoLA | MCC |", "| ❌ |", "| ⚠️ |", "## Unmatched results", "| imagenet | top-1 |", "![Paper against ours", "(benchmarks.svg)", "your 0.9102 read as 91.02"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown has no %q", want)
		}
	}
	if strings.Contains(string(rep.Markdown("")), "![") {
		t.Error("an empty chart path still embeds the chart")
	}
	// Pipes and newlines in names do not break the table.
	f := NewFile([]Target{{ID: "p", Dataset: "a|b", Metric: "m\nn", Setting: "<x>", Value: 1, Tolerance: Tolerance{Absolute: 1}, Skip: true}})
	md = string(Compare(f, nil).Markdown(""))
	if !strings.Contains(md, `| ➖ | a\|b | m n | &lt;x> |`) || !strings.Contains(md, "skipped") {
		t.Errorf("escaping:\n%s", md)
	}
	// Rows of the table have the same number of cells.
	main, unmatched, _ := strings.Cut(string(rep.Markdown("")), "## Unmatched")
	for _, part := range []struct {
		text  string
		cells int
	}{{main, 9}, {unmatched, 5}} {
		for _, l := range strings.Split(part.text, "\n") {
			if strings.HasPrefix(l, "| ") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != part.cells+1 {
				t.Errorf("row %q", l)
			}
		}
	}
	empty := string(Compare(NewFile(nil), nil).Markdown(""))
	if !strings.Contains(empty, "INCONCLUSIVE") || !strings.Contains(empty, "No benchmark targets") {
		t.Errorf("empty report:\n%s", empty)
	}
}

func TestReadmeTable(t *testing.T) {
	var ts []Target
	for i := range 25 {
		ts = append(ts, target(fmt.Sprint("t", i), "D", fmt.Sprint("m", i), "", 1, Tolerance{Absolute: 1}))
	}
	ts[0].Skip = true
	ts[1].Setting = "Base"
	out := string(Compare(NewFile(ts), nil).ReadmeTable())
	if !strings.HasPrefix(out, "**INCONCLUSIVE**: 0 of 24 targets") || !strings.Contains(out, "… and 4 more in docs/benchmarks.md.") ||
		strings.Contains(out, "D · m0 ") || !strings.Contains(out, "D · m1 (Base)") || strings.Count(out, "| ⏳ |") != 20 {
		t.Errorf("README table:\n%s", out)
	}
	if out := string(Compare(NewFile(nil), nil).ReadmeTable()); strings.Contains(out, "|") {
		t.Errorf("no targets:\n%s", out)
	}
}

var numberAttr = regexp.MustCompile(`\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"`)

// checkSVG parses the chart as XML and checks its coordinates.
func checkSVG(t *testing.T, svg []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	depth, root := 0, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, svg)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = tk.Name.Local
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if root != "svg" || depth != 0 {
		t.Errorf("root %q, depth %d", root, depth)
	}
	s := string(svg)
	if strings.Contains(s, "NaN") && !strings.Contains(s, ">NaN<") || strings.Contains(s, "Inf\"") {
		t.Errorf("NaN or Inf in the SVG")
	}
	for _, m := range numberAttr.FindAllStringSubmatch(s, -1) {
		var f float64
		if _, err := fmt.Sscan(m[1], &f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 100000 {
			t.Errorf("attribute %s", m[0])
		}
	}
	for _, m := range regexp.MustCompile(`d="([^"]*)"`).FindAllStringSubmatch(s, -1) {
		if strings.Contains(m[1], "NaN") || strings.Contains(m[1], "Inf") {
			t.Errorf("path %s", m[0])
		}
	}
}

func TestSVG(t *testing.T) {
	heights := map[int]int{}
	for _, n := range []int{0, 1, 8, 40, 41, 200} {
		var ts []Target
		var rs []Result
		for i := range n {
			tg := target(fmt.Sprint("t", i), fmt.Sprint("Dataset ", i), "Acc.", "", 90+float64(i%10), Tolerance{Absolute: 1})
			if i%7 == 0 {
				tg.Setting = strings.Repeat("long setting ", 8)
			}
			if i%11 == 0 {
				tg.Dataset = strings.Repeat("A very long data set name ", 5) + "<&\"'>\x01"
			}
			tg.Skip = i%13 == 5
			ts = append(ts, tg)
			switch i % 6 {
			case 0:
				rs = append(rs, res(tg.Dataset, "acc", "", tg.Value+0.5))
			case 1:
				rs = append(rs, res(tg.Dataset, "acc", "", tg.Value-1.5))
			case 2:
				rs = append(rs, res(tg.Dataset, "acc", "", tg.Value+50))
			case 3:
				rs = append(rs, res(tg.Dataset, "acc", "", math.NaN()))
			case 4:
				rs = append(rs, res(tg.Dataset, "acc", "", 1e300))
			}
		}
		svg := Compare(NewFile(ts), rs).SVG()
		checkSVG(t, svg)
		var h int
		if _, err := fmt.Sscanf(string(svg[bytes.Index(svg, []byte(`height="`)):]), `height="%d"`, &h); err != nil {
			t.Fatal(err)
		}
		heights[n] = h
	}
	if heights[0] < 150 || heights[1] > 220 || heights[200] > 4400 || heights[200] < heights[41] || heights[41] >= heights[40]+20 {
		t.Errorf("heights %v", heights)
	}
	// Degenerate targets: zero tolerance, zero paper value, huge values.
	f := NewFile([]Target{
		target("z", "A", "m", "", 0, Tolerance{}),
		target("big", "B", "m", "", 1e308, Tolerance{Relative: 0.5}),
		target("tiny", "C", "m", "", 1e-300, Tolerance{}),
	})
	checkSVG(t, Compare(f, []Result{res("A", "m", "", 0), res("B", "m", "", -1e308), res("C", "m", "", 1e-300)}).SVG())
	checkSVG(t, Compare(f, []Result{res("A", "m", "", 5)}).SVG())
}

func TestDeterministic(t *testing.T) {
	a, b := sampleReport(t), sampleReport(t)
	for i := range 5 {
		if !bytes.Equal(a.JSON(), b.JSON()) || !bytes.Equal(a.SVG(), b.SVG()) || !bytes.Equal(a.Markdown("x.svg"), b.Markdown("x.svg")) ||
			!bytes.Equal(editedFile(t).Marshal(), editedFile(t).Marshal()) {
			t.Fatalf("run %d differs", i)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	var ts []Target
	var rs []Result
	for i := range 1000 {
		ts = append(ts, Target{ID: fmt.Sprint("t", i), Dataset: fmt.Sprintf("Dataset-%d", i/10), Metric: fmt.Sprintf("Metric %d", i%10), Setting: fmt.Sprintf("Size %d", i%3),
			Value: float64(i), Tolerance: Tolerance{Relative: 0.02}})
		rs = append(rs, Result{Dataset: fmt.Sprintf("dataset %d", i/10), Metric: fmt.Sprintf("metric-%d", i%10), Setting: fmt.Sprintf("size %d", i%3), Value: float64(i) * 1.01})
	}
	f := NewFile(ts)
	b.ReportAllocs()
	for b.Loop() {
		rep := Compare(f, rs)
		if len(rep.Unmatched) != 0 {
			b.Fatal(len(rep.Unmatched))
		}
	}
}
