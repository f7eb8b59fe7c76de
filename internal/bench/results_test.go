package bench

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/xerr"
)

// resultLines prints results as "line dataset|metric|setting|value".
func resultLines(rs []Result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%d %s|%s|%s|%s\n", r.Line, r.Dataset, r.Metric, r.Setting, fmtNum(r.Value))
	}
	return b.String()
}

func TestParseResults(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             string
	}{
		{"csv", "r.csv", "dataset,metric,value\nSST-2,acc,91.3\nMNLI,acc,0.84\n",
			"2 SST-2|acc||91.3\n3 MNLI|acc||0.84\n"},
		{"csv any order, setting, extra columns, BOM, spaces", "r.csv", "\ufeffseed, Value ,setting,Metric,DATASET\n1, 91.3 ,base,acc,SST-2\n",
			"2 SST-2|acc|base|91.3\n"},
		{"csv comments, blank lines, empty values, % and ±", "r.csv", "# my results\ndataset,metric,value\n\nSST-2,acc,91.3%\nSST-2,f1,\nMNLI,acc,84.1 ± 0.3\nX,y,−2\n",
			"4 SST-2|acc||91.3\n6 MNLI|acc||84.1\n7 X|y||-2\n"},
		{"csv quoted", "r.csv", "dataset,metric,value\n\"WMT14, En-De\",BLEU,27.9\n", "2 WMT14, En-De|BLEU||27.9\n"},
		{"csv without a dataset column", "r.csv", "metric,value\nppl,23.1\n", "2 |ppl||23.1\n"},
		{"csv nan", "r.csv", "dataset,metric,value\nA,loss,nan\n", "2 A|loss||NaN\n"},
		{"wide csv", "r.csv", "dataset,model,accuracy,f1\nSST-2,tiny,91.3,\nMNLI,tiny,84.1,80.2\n",
			"2 SST-2|accuracy||91.3\n3 MNLI|accuracy||84.1\n3 MNLI|f1||80.2\n"},
		{"tsv", "r.tsv", "dataset\tmetric\tvalue\nSST-2\tacc\t91.3\n", "2 SST-2|acc||91.3\n"},
		{"json nested", "r.json", "{\n  \"SST-2\": {\"acc\": 91.3, \"f1\": 90},\n  \"MNLI\": {\n    \"acc\": 84.1\n  }\n}\n",
			"2 SST-2|acc||91.3\n2 SST-2|f1||90\n4 MNLI|acc||84.1\n"},
		{"json top-level metrics, deeper settings, null and strings", "r.json", "{\"ppl\": 23.1, \"wt103\": {\"large\": {\"ppl\": \"20.9\"}}, \"skipped\": {\"acc\": null}}",
			"1 |ppl||23.1\n1 wt103|ppl|large|20.9\n"},
		{"json records", "r.json", "[\n {\"dataset\": \"SST-2\", \"metric\": \"acc\", \"value\": 91.3},\n {\"dataset\": \"WT\", \"metric\": \"ppl\", \"value\": 23.1, \"setting\": \"base\", \"seed\": 1},\n {\"metric\": \"bleu\", \"value\": null}\n]",
			"2 SST-2|acc||91.3\n3 WT|ppl|base|23.1\n"},
		{"json lines", "r.jsonl", "{\"dataset\": \"SST-2\", \"metric\": \"acc\", \"value\": 91.3}\n\n{\"dataset\": \"MNLI\", \"metric\": \"acc\", \"value\": \"84.1\"}\n{\"epoch\": 3, \"acc\": 0.9}\n",
			"1 SST-2|acc||91.3\n3 MNLI|acc||84.1\n4 |epoch||3\n4 |acc||0.9\n"},
		{"json lines in a .json file", "r.json", "{\"dataset\": \"A\", \"metric\": \"m\", \"value\": 1}\n{\"dataset\": \"B\", \"metric\": \"m\", \"value\": 2}\n",
			"1 A|m||1\n2 B|m||2\n"},
		{"sniffed json", "results.txt", "{\"A\": {\"m\": 1}}", "1 A|m||1\n"},
		{"sniffed csv", "results", "dataset,metric,value\nA,m,1\n", "2 A|m||1\n"},
		{"empty json object", "r.json", "{}", ""},
		{"csv header only", "r.csv", "dataset,metric,value\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := ParseResults(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := resultLines(rs); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
			for _, r := range rs {
				if r.File != tt.file {
					t.Errorf("file %q", r.File)
				}
			}
		})
	}
}

func TestParseResultsErrors(t *testing.T) {
	tests := []struct {
		name, file, data string
		line             int
		msg              string
	}{
		{"csv no value column", "r.csv", "dataset,metric,score\nA,m,1\n", 1, "no value column"},
		{"csv no metric and value", "r.csv", "name,score\nA,1\n", 1, "no metric and value column"},
		{"csv bad number", "r.csv", "dataset,metric,value\nA,m,1\nB,m,high\n", 3, `value "high" is not a number`},
		{"csv short row", "r.csv", "dataset,metric,value\nA\n", 2, "row has 1 fields"},
		{"csv bad quotes", "r.csv", "dataset,metric,value\nA,\"m,1\n", 2, "cannot read the CSV"},
		{"csv empty", "r.csv", "", 0, "empty"},
		{"wide csv bad number", "r.csv", "dataset,acc\nA,91\nB,n/a\n", 3, `column "acc": "n/a" is not a number`},
		{"wide csv without numbers", "r.csv", "dataset,model\nA,tiny\n", 0, "no metric, value or numeric columns"},
		{"json syntax", "r.json", "{\n  \"A\": {\"m\": 1,}\n}", 2, "invalid JSON"},
		{"json truncated", "r.json", "{\"A\": {\"m\": 1}", 1, "unexpected end"},
		{"json bool", "r.json", "{\n\"A\": {\n\"m\": true}}", 3, "A.m: true is not a number"},
		{"json text", "r.json", "{\"A\": {\"m\": \"high\"}}", 1, `A.m: "high" is not a number`},
		{"json list under a key", "r.json", "{\"A\": [1, 2]}", 1, "unexpected list at A"},
		{"json scalar", "r.json", "3", 1, "single value"},
		{"json extra data", "r.json", "{\"A\": {\"m\": 1}} x", 1, "extra data"},
		{"json too deep", "r.json", strings.Repeat("{\"a\":", 40) + "1" + strings.Repeat("}", 40), 1, "nested too deeply"},
		{"json record without metric", "r.json", "[\n{\"dataset\": \"A\", \"value\": 1}]", 2, `no "metric"`},
		{"json record without value", "r.json", "[{\"metric\": \"m\"}]", 1, `no "value"`},
		{"json record bad value", "r.json", "[\n\n{\"metric\": \"m\", \"value\": \"x\"}]", 3, "not a number"},
		{"json record value object", "r.json", "[{\"metric\": \"m\", \"value\": {}}]", 1, "must be a number"},
		{"json record not an object", "r.json", "[1]", 1, "records"},
		{"json record metric a list", "r.json", "[{\"metric\": [\"m\"], \"value\": 1}]", 1, "metric must be a string"},
		{"jsonl syntax", "r.jsonl", "{\"metric\": \"m\", \"value\": 1}\n{\"metric\": \n", 2, "invalid JSON"},
		{"jsonl not an object", "r.jsonl", "{\"metric\": \"m\", \"value\": 1}\n[1]\n", 2, "must be a JSON object"},
		{"jsonl bad value", "r.jsonl", "{\"metric\": \"m\", \"value\": 1}\n\n{\"metric\": \"m\", \"value\": true}\n", 3, "must be a number"},
		{"jsonl nested bad value", "r.jsonl", "{\"A\": {\"m\": 1}}\n{\"A\": {\"m\": false}}\n", 2, "not a number"},
		{"sniffed empty", "results", "  \n", 0, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseResults(tt.file, []byte(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			wantInputError(t, err, tt.line, tt.msg)
			if !strings.HasPrefix(err.Error(), tt.file) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestReadResults(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	csvPath := write("results.csv", projectCSV)
	rs, err := ReadResults(csvPath)
	if err != nil || len(rs) != 7 || rs[0].File != csvPath || rs[0].Line != 2 {
		t.Fatalf("ReadResults(csv) = %v, %v", rs, err)
	}
	ev := filepath.Join(dir, "events.out.tfevents.1.host")
	if err := os.WriteFile(ev, sampleEvents(), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err = ReadResults(ev)
	if err != nil || len(rs) != 7 {
		t.Fatalf("ReadResults(tfevents) = %v, %v", rs, err)
	}
	// An event file with another name is recognised by its framing.
	other := filepath.Join(dir, "run.bin")
	if err := os.WriteFile(other, sampleEvents(), 0o644); err != nil {
		t.Fatal(err)
	}
	if rs, err := ReadResults(other); err != nil || len(rs) != 7 {
		t.Fatalf("ReadResults(sniffed tfevents) = %v, %v", rs, err)
	}
	// A corrupt event file on disk.
	bad := filepath.Join(dir, "events.out.tfevents.2.host")
	if err := os.WriteFile(bad, corruptCopy(sampleEvents()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadResults(bad)
	wantInputError(t, err, 0, "data CRC mismatch")

	_, err = ReadResults(filepath.Join(dir, "missing.csv"))
	wantInputError(t, err, 0, "cannot read the results")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%v does not wrap ErrNotExist", err)
	}
	_, err = ReadResults(write("bad.json", "{"))
	wantInputError(t, err, 1, "bad.json:1: invalid JSON")
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"91.3", 91.3, true}, {" 91.3 % ", 91.3, true}, {"91.3±0.2", 91.3, true}, {"91.3 +/- 0.2", 91.3, true},
		{"−1.5", -1.5, true}, {"1e3", 1000, true}, {"1e999", math.Inf(1), true}, {"", 0, false}, {"abc", 0, false}, {"±1", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResultWhere(t *testing.T) {
	tests := []struct {
		r    Result
		want string
	}{
		{Result{File: "r.csv", Line: 3}, "r.csv:3"},
		{Result{File: "events.out.tfevents.1", Step: 100}, "events.out.tfevents.1 (step 100)"},
		{Result{File: "r.json"}, "r.json"},
	}
	for _, tt := range tests {
		if got := tt.r.Where(); got != tt.want {
			t.Errorf("Where() = %q, want %q", got, tt.want)
		}
	}
}

func FuzzReadResults(f *testing.F) {
	names := []string{"r.csv", "r.json", "r.jsonl", "events.out.tfevents.1", "results"}
	f.Add(uint8(0), []byte(projectCSV))
	f.Add(uint8(0), []byte("dataset,acc\nA,1\n"))
	f.Add(uint8(1), []byte(`{"SST-2": {"acc": 91.3}, "ppl": 23}`))
	f.Add(uint8(1), []byte(`[{"dataset": "A", "metric": "m", "value": 1}]`))
	f.Add(uint8(2), []byte("{\"metric\": \"m\", \"value\": 1}\n{\"A\": {\"m\": 2}}\n"))
	f.Add(uint8(3), sampleEvents())
	f.Add(uint8(3), tfRecordHeader(1<<40))
	f.Add(uint8(4), sampleEvents())
	f.Add(uint8(4), []byte("[1,2"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := names[int(kind)%len(names)]
		rs, err := ParseResults(name, data)
		if err != nil {
			var e *xerr.Error
			if !errors.As(err, &e) || e.Kind != xerr.KindInput {
				t.Fatalf("error %v (%T) is not an input *xerr.Error", err, err)
			}
			if !strings.HasPrefix(e.Error(), name) {
				t.Fatalf("error %q does not name the file", e.Error())
			}
			return
		}
		// Whatever was read compares and renders without trouble.
		rep := Compare(sampleFile(t), rs)
		_ = rep.JSON()
		_ = rep.Markdown("c.svg")
		_ = rep.SVG()
	})
}

func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("dataset,metric,value,setting\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "dataset-%d,metric-%d,%d.%d,setting-%d\n", i%100, i%7, i, i%10, i%3)
	}
	path := filepath.Join(b.TempDir(), "results.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rs, err := ReadResults(path)
		if err != nil || len(rs) != 10000 {
			b.Fatal(len(rs), err)
		}
	}
}
