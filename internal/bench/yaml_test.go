package bench

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/xerr"
)

// editedFile is a file as a user might leave it: aliases, a skipped
// target, a tolerance of their own, a target with few fields.
func editedFile(t testing.TB) *File {
	f := sampleFile(t)
	f.Targets[1].Skip = true
	f.Targets[2].Tolerance = Tolerance{Absolute: 2, Relative: 0.01}
	f.Targets[2].ToleranceSource = "our lab's usual spread"
	f.Targets[3].Tolerance = Tolerance{Absolute: 0.5}
	f.Targets[3].ToleranceSource = SetByUser
	f.Targets[4].Paper = "tiny-2023"
	f.Targets[5].HigherIsBetter = nil
	f.Add(Target{ID: "by-hand", Dataset: "ImageNet", Metric: "top-1", Value: 76.5, Tolerance: Tolerance{Relative: 0.01}, ToleranceSource: SetByUser})
	f.Add(Target{Dataset: "weird: [yaml] # chars", Metric: "'quoted' \"too\"", Setting: "a/b", Value: -1e-7, Tolerance: Tolerance{Relative: 0.02}, ToleranceSource: "default for other metrics (±2%)",
		Source: Source{Caption: "line one\nline two", Line: 3}})
	f.Aliases = Aliases{
		Datasets: map[string][]string{"SST-2": {"sst2_validation", "stanford sentiment"}, "WikiText-103": {"wt103-test"}},
		Metrics:  map[string][]string{"accuracy": {"val_top1"}},
	}
	return f
}

func TestMarshalRoundTrip(t *testing.T) {
	for name, f := range map[string]*File{
		"sample": sampleFile(t),
		"edited": editedFile(t),
		"empty":  NewFile(nil),
	} {
		t.Run(name, func(t *testing.T) {
			data := f.Marshal()
			if !bytes.HasPrefix(data, []byte(header)) {
				t.Error("the header comment is missing")
			}
			got, err := Parse("benchmarks.yaml", data)
			if err != nil {
				t.Fatalf("Parse(Marshal()): %v\n%s", err, data)
			}
			want := *f
			want.Version = Version
			if len(want.Targets) == 0 {
				want.Targets = nil
			}
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", got, &want)
			}
			if again := got.Marshal(); !bytes.Equal(again, data) {
				t.Errorf("Marshal is not stable:\n%s\n---\n%s", data, again)
			}
		})
	}
}

func TestMarshalGolden(t *testing.T) {
	// testdata/benchmarks.yaml is checked by TestReportGolden; this one has
	// the user's edits.
	checkGolden(t, "edited.yaml", editedFile(t).Marshal())
}

func TestParse(t *testing.T) {
	base := "targets:\n  - dataset: SST-2\n    metric: Acc.\n    paper: 91.3\n"
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, f *File)
	}{
		{"empty", "", func(t *testing.T, f *File) {
			if len(f.Targets) != 0 || f.Version != Version {
				t.Errorf("%+v", f)
			}
		}},
		{"comments only", "# nothing yet\n", func(t *testing.T, f *File) {}},
		{"null targets", "targets:\naliases:\n", func(t *testing.T, f *File) {}},
		{"defaults filled", base, func(t *testing.T, f *File) {
			tg := f.Targets[0]
			if tg.ID != "sst-2-acc" || tg.Tolerance != (Tolerance{Absolute: 1}) || !strings.HasPrefix(tg.ToleranceSource, "default for accuracy") {
				t.Errorf("%+v", tg)
			}
		}},
		{"tolerance as a number", base + "    tolerance: 0.5\n", func(t *testing.T, f *File) {
			tg := f.Targets[0]
			if tg.Tolerance != (Tolerance{Absolute: 0.5}) || tg.ToleranceSource != SetByUser {
				t.Errorf("%+v", tg)
			}
		}},
		{"tolerance as a percentage", base + "    tolerance: 3%\n", func(t *testing.T, f *File) {
			if tg := f.Targets[0]; tg.Tolerance != (Tolerance{Relative: 0.03}) {
				t.Errorf("%+v", tg)
			}
		}},
		{"tolerance with ±", base + "    tolerance: ±2\n", func(t *testing.T, f *File) {
			if tg := f.Targets[0]; tg.Tolerance != (Tolerance{Absolute: 2}) {
				t.Errorf("%+v", tg)
			}
		}},
		{"tolerance mapping, stale source", base + "    tolerance: {relative: 0.1}\n    tolerance_source: default for accuracy-like metrics in points (±1)\n", func(t *testing.T, f *File) {
			if tg := f.Targets[0]; tg.Tolerance != (Tolerance{Relative: 0.1}) || tg.ToleranceSource != SetByUser {
				t.Errorf("%+v", tg)
			}
		}},
		{"tolerance equal to the default", base + "    tolerance: {absolute: 1}\n", func(t *testing.T, f *File) {
			if tg := f.Targets[0]; !isDefaultSource(tg.ToleranceSource) {
				t.Errorf("%+v", tg)
			}
		}},
		{"zero tolerance", base + "    tolerance: {}\n", func(t *testing.T, f *File) {
			if tg := f.Targets[0]; tg.Tolerance != (Tolerance{}) || tg.ToleranceSource != SetByUser {
				t.Errorf("%+v", tg)
			}
		}},
		{"ids generated after given ones", "targets:\n  - dataset: A\n    metric: m\n    paper: 1\n  - id: a-m\n    dataset: A\n    metric: m\n    paper: 2\n", func(t *testing.T, f *File) {
			if f.Targets[0].ID != "a-m-2" || f.Targets[1].ID != "a-m" {
				t.Errorf("ids %q %q", f.Targets[0].ID, f.Targets[1].ID)
			}
		}},
		{"aliases as a scalar", "aliases:\n  datasets:\n    SST-2: sst2\n  metrics:\n", func(t *testing.T, f *File) {
			if !reflect.DeepEqual(f.Aliases.Datasets, map[string][]string{"SST-2": {"sst2"}}) || f.Aliases.Metrics != nil {
				t.Errorf("%+v", f.Aliases)
			}
		}},
		{"yaml anchors", "targets:\n  - &t\n    dataset: A\n    metric: m\n    paper: 1\n    source: &s {table: \"2\"}\n  - id: b\n    dataset: B\n    metric: m\n    paper: 2\n    source: *s\n", func(t *testing.T, f *File) {
			if f.Targets[1].Source.Table != "2" {
				t.Errorf("%+v", f.Targets[1])
			}
		}},
		{"version 1", "version: 1\n", func(t *testing.T, f *File) {}},
		{"numeric strings", "targets:\n  - dataset: 2014\n    metric: m\n    paper: \"3.5\"\n", func(t *testing.T, f *File) {
			if f.Targets[0].Dataset != "2014" || f.Targets[0].Value != 3.5 {
				t.Errorf("%+v", f.Targets[0])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("b.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
		msg  string
	}{
		{"syntax", "targets:\n  - id: a\n   bad: [\n", 3, "cannot read the YAML"},
		{"tabs", "targets:\n\t- id: a\n", 2, "cannot read the YAML"},
		{"top level list", "- a\n- b\n", 1, "must be a mapping"},
		{"unknown top-level field", "targets: []\ntarget: []\n", 2, `unknown field "target"`},
		{"targets not a list", "targets: {a: 1}\n", 1, "targets must be a list"},
		{"target not a mapping", "targets:\n  - 3\n", 2, "target must be a mapping"},
		{"unknown field", "targets:\n  - dataset: A\n    metric: m\n    paper: 1\n    tolerence: 2\n", 5, `unknown field "tolerence"`},
		{"repeated field", "targets:\n  - dataset: A\n    metric: m\n    paper: 1\n    paper: 2\n", 5, "given twice"},
		{"no paper value", "targets:\n  - id: x\n    dataset: A\n    metric: m\n", 2, "has no paper value"},
		{"paper not a number", "targets:\n  - dataset: A\n    metric: m\n    paper: high\n", 4, "must be a number"},
		{"paper NaN", "targets:\n  - dataset: A\n    metric: m\n    paper: .nan\n", 4, "finite"},
		{"no names", "targets:\n  - paper: 1\n", 2, "neither a dataset nor a metric"},
		{"duplicate id", "targets:\n  - {id: a, metric: m, paper: 1}\n  - {id: a, metric: n, paper: 2}\n", 3, `duplicate target id "a"`},
		{"negative tolerance", "targets:\n  - metric: m\n    paper: 1\n    tolerance: -1\n", 4, "negative"},
		{"relative over 100%", "targets:\n  - metric: m\n    paper: 1\n    tolerance: {relative: 5}\n", 4, "over 100%"},
		{"tolerance text", "targets:\n  - metric: m\n    paper: 1\n    tolerance: loose\n", 4, "not a number or a percentage"},
		{"tolerance list", "targets:\n  - metric: m\n    paper: 1\n    tolerance: [1]\n", 4, "tolerance must be"},
		{"tolerance unknown key", "targets:\n  - metric: m\n    paper: 1\n    tolerance: {abs: 1}\n", 4, `unknown field "abs"`},
		{"skip not a bool", "targets:\n  - metric: m\n    paper: 1\n    skip: maybe\n", 4, "true or false"},
		{"string field a list", "targets:\n  - metric: [m]\n    paper: 1\n", 2, "single value"},
		{"source unknown key", "targets:\n  - metric: m\n    paper: 1\n    source: {page: 3}\n", 4, `unknown field "page"`},
		{"source line text", "targets:\n  - metric: m\n    paper: 1\n    source: {line: x}\n", 4, "whole number"},
		{"newer version", "version: 9\n", 1, "newer"},
		{"aliases not a mapping", "aliases:\n  datasets: [a]\n", 2, "must map"},
		{"alias of two names", "aliases:\n  datasets:\n    A: [x]\n    B: [y, X]\n", 4, "alias of both"},
		{"alias list of lists", "aliases:\n  metrics:\n    acc: [[a]]\n", 3, "single value"},
		{"negative plus_minus", "targets:\n  - metric: m\n    paper: 1\n    plus_minus: -1\n", 4, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("b.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			wantInputError(t, err, tt.line, tt.msg)
			if !strings.HasPrefix(err.Error(), "b.yaml:") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestParseSuggests(t *testing.T) {
	_, err := Parse("b.yaml", []byte("targets:\n  - metric: m\n    paper: 1\n    tolerence: 1\n"))
	if h := xerr.HintOf(err); !strings.HasPrefix(h, "did you mean tolerance?") {
		t.Errorf("hint %q", h)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(filepath.Join(dir, "benchmarks.yaml"))
	wantInputError(t, err, 0, "no benchmark targets file")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%v does not wrap ErrNotExist", err)
	}
	path := filepath.Join(dir, "benchmarks.yaml")
	if err := os.WriteFile(path, sampleFile(t).Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil || len(f.Targets) != len(paperResults()) {
		t.Fatalf("Load: %v, %v", f, err)
	}
	if err := os.WriteFile(path, []byte("targets: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	wantInputError(t, err, 0, path)
}

func FuzzParse(f *testing.F) {
	f.Add(sampleFile(f).Marshal())
	f.Add(editedFile(f).Marshal())
	f.Add([]byte("targets:\n  - dataset: A\n    metric: m\n    paper: 1\n    tolerance: 5%\n"))
	f.Add([]byte("aliases:\n  datasets:\n    A: [x, y]\n"))
	f.Add([]byte("targets: [{metric: m, paper: 1, tolerance: {relative: 0.1}}]"))
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("- !!binary AAAA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.yaml", data)
		if err != nil {
			var e *xerr.Error
			if !errors.As(err, &e) || e.Kind != xerr.KindInput {
				t.Fatalf("error %v is not an input *xerr.Error", err)
			}
			return
		}
		// What parses marshals and parses back to the same bytes.
		out := file.Marshal()
		again, err := Parse("f.yaml", out)
		if err != nil {
			t.Fatalf("Parse(Marshal()): %v\n%s", err, out)
		}
		if out2 := again.Marshal(); !bytes.Equal(out, out2) {
			t.Fatalf("Marshal not stable:\n%s\n---\n%s", out, out2)
		}
	})
}
