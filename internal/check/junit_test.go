package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprohq/repro/internal/golden"
)

// junitRoot is the project root of the reports in testdata/junit.
const junitRoot = "/proj"

// parsedCase is what the golden files of testdata/junit hold for a case.
type parsedCase struct {
	Case
	TestName string `json:",omitempty"`
	TestFile string `json:",omitempty"`
	Failure  string `json:",omitempty"` // failureMessage
	Pending  string `json:",omitempty"` // pendingReason
	Missing  string `json:",omitempty"` // missingModule
}

func TestParseJUnit(t *testing.T) {
	golden.Inputs(t, "testdata/junit/*.xml", func(t *testing.T, path string, src []byte) {
		cases, err := ParseJUnit(src)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) == 0 {
			t.Fatal("no test case")
		}
		out := make([]parsedCase, 0, len(cases))
		for _, c := range cases {
			p := parsedCase{Case: c, TestName: c.TestName(), TestFile: caseFile(c, nil, junitRoot)}
			if c.Failing() {
				p.Failure = failureMessage(c, p.TestFile, junitRoot)
				p.Missing = missingModule(c.Text)
			}
			if c.Pending() {
				p.Pending = pendingReason(c.Message)
			}
			out = append(out, p)
		}
		golden.CheckJSON(t, strings.TrimSuffix(path, ".xml")+".golden.json", out)
	})
}

func TestParseJUnitErrors(t *testing.T) {
	tests := []struct {
		name, xml string
		cases     int
		wantErr   bool
	}{
		{name: "empty", xml: "", wantErr: true},
		{name: "not XML", xml: "pytest: error: unrecognized arguments", wantErr: true},
		{name: "truncated", xml: `<testsuites><testsuite><testcase classname="a" name="b"><failure>x`, wantErr: true},
		{name: "no cases", xml: `<testsuites><testsuite name="pytest" tests="0"/></testsuites>`},
		{name: "bare testsuite", xml: `<testsuite><testcase classname="tests.test_a" name="test_x"/></testsuite>`, cases: 1},
		{name: "nested suites", xml: `<testsuites><testsuite><testsuite><testcase name="t"/></testsuite></testsuite><testcase name="u"><skipped/></testcase></testsuites>`, cases: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := ParseJUnit([]byte(tt.xml))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && len(cases) != tt.cases {
				t.Errorf("%d cases, want %d: %+v", len(cases), tt.cases, cases)
			}
		})
	}
}

func TestCaseOutcome(t *testing.T) {
	tests := []struct {
		name                 string
		c                    Case
		failing, pending, cl bool
	}{
		{name: "passed", c: Case{Classname: "tests.t", Name: "test_a", Outcome: outcomePassed}},
		{name: "failed", c: Case{Classname: "tests.t", Name: "test_a", Outcome: outcomeFailed}, failing: true},
		{name: "error", c: Case{Classname: "tests.t", Name: "test_a", Outcome: outcomeError}, failing: true},
		{name: "pending", c: Case{Outcome: outcomeSkipped, Message: "pending: eq_1: not implemented"}, pending: true},
		{name: "pending with Skipped prefix", c: Case{Outcome: outcomeSkipped, Message: "Skipped: pending: x"}, pending: true},
		{name: "other skip", c: Case{Outcome: outcomeSkipped, Message: "no oracle yet"}},
		{name: "skip that mentions pending", c: Case{Outcome: outcomeSkipped, Message: "not pending: x"}},
		{name: "pending message on a failure", c: Case{Classname: "tests.t", Outcome: outcomeFailed, Message: "pending: x"}, failing: true},
		{name: "collection", c: Case{Name: "tests.t", Outcome: outcomeError}, failing: true, cl: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Failing(); got != tt.failing {
				t.Errorf("Failing() = %v", got)
			}
			if got := tt.c.Pending(); got != tt.pending {
				t.Errorf("Pending() = %v", got)
			}
			if got := tt.c.Collection(); got != tt.cl {
				t.Errorf("Collection() = %v", got)
			}
		})
	}
}

func TestCaseFile(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"tests/test_b.py", "tests/pkg/test_c.py"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	known := map[string]bool{"tests/test_a.py": true}
	tests := []struct {
		name string
		c    Case
		want string
	}{
		{"file attribute", Case{Classname: "x.y", Name: "t", File: "tests/test_z.py"}, "tests/test_z.py"},
		{"absolute file under the root", Case{Name: "t", File: root + "/tests/test_z.py"}, "tests/test_z.py"},
		{"file with dot segments", Case{Name: "t", File: "tests/../tests/test_z.py"}, "tests/test_z.py"},
		{"classname of a known file", Case{Classname: "tests.test_a", Name: "test_x"}, "tests/test_a.py"},
		{"class in a known file", Case{Classname: "tests.test_a.TestK", Name: "test_x"}, "tests/test_a.py"},
		{"class in a file on disk", Case{Classname: "tests.test_b.TestK", Name: "test_x"}, "tests/test_b.py"},
		{"nested folder on disk", Case{Classname: "tests.pkg.test_c.TestK.TestInner", Name: "test_x"}, "tests/pkg/test_c.py"},
		{"unknown module", Case{Classname: "tests.test_q", Name: "test_x"}, "tests/test_q.py"},
		{"unknown class", Case{Classname: "tests.test_q.TestK", Name: "test_x"}, "tests/test_q.py"},
		{"collection error", Case{Name: "tests.test_a", Outcome: outcomeError}, "tests/test_a.py"},
		{"nothing", Case{}, "?"},
		{"path-like classname", Case{Classname: "a/b c"}, "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := caseFile(tt.c, known, root); got != tt.want {
				t.Errorf("caseFile = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFailureMessage(t *testing.T) {
	long := strings.Repeat("x", 400)
	tests := []struct {
		name string
		c    Case
		want string
	}{
		{
			name: "assertion with explanation",
			c: Case{Classname: "tests.test_a", Name: "test_v", File: "tests/test_a.py", Outcome: outcomeFailed,
				Text: ">       assert f(1) == 2\nE       assert 3 == 2\nE        +  where 3 = f(1)\n\ntests/test_a.py:9: AssertionError"},
			want: "test_v (line 9): assert 3 == 2\n +  where 3 = f(1)",
		},
		{
			name: "introspection of tensors",
			c: Case{Classname: "tests.test_a", Name: "test_g", File: "tests/test_a.py", Outcome: outcomeFailed,
				Text: "E       AssertionError: the gradient holds NaN or infinite values\n" +
					"E       assert tensor(False)\n" +
					"E        +  where tensor(False) = <built-in method all of Tensor object at 0x7f57e356de00>()\n" +
					"E        +    where <built-in method all of Tensor object at 0x7f57e356de00> = tensor([[[False, False, False,  ..., False, False, False],\\n         [False, False, False,  ..., False, False, False],\\n...]]]).all\n" +
					"E        +      where tensor([[[False, False]]]) = isfinite(tensor([[nan, nan]]))\n" +
					"\ntests/test_a.py:74: AssertionError"},
			want: "test_g (line 74): AssertionError: the gradient holds NaN or infinite values\nassert tensor(False)\n +      where tensor([[[False, False]]]) = isfinite(tensor([[nan, nan]]))",
		},
		{
			name: "exception in the code under test",
			c: Case{Classname: "tests.test_a", Name: "test_v", File: "tests/test_a.py", Outcome: outcomeFailed,
				Text: "tests/test_a.py:9: in test_v\n    f(1)\n    def f(x):\n>       return x @ y\nE       RuntimeError: mat1 and mat2 shapes cannot be multiplied\n\n/proj/src/toy/core.py:12: RuntimeError"},
			want: "test_v (src/toy/core.py:12): RuntimeError: mat1 and mat2 shapes cannot be multiplied",
		},
		{
			name: "no E lines: the message",
			c:    Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeError, Message: "failed on teardown with \"OSError\""},
			want: "test_v: failed on teardown with \"OSError\"",
		},
		{
			name: "nothing at all",
			c:    Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeFailed},
			want: "test_v: failed",
		},
		{
			name: "many lines are cut",
			c: Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeFailed,
				Text: "E   1\nE   2\nE   3\nE   4\nE   5\nE   6\nE   7\nE   8"},
			want: "test_v: 1\n2\n3\n4\n5\n…",
		},
		{
			name: "long lines are cut",
			c:    Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeFailed, Text: "E   " + long},
			want: "test_v: " + long[:maxLineLen-len("test_v: ")-1] + "…",
		},
		{
			name: "noise and blank lines",
			c: Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeFailed,
				Text: "E\nE   assert [1] == [2]\nE     At index 0 diff: 1 != 2\nE     Use -v to get more diff\nE"},
			want: "test_v: assert [1] == [2]\n  At index 0 diff: 1 != 2",
		},
		{
			name: "collection error",
			c: Case{Name: "tests.test_b", File: "tests/test_b.py", Outcome: outcomeError, Message: "collection failure",
				Text: "tests/test_b.py:1: in <module>\n    import scipy\nE   ModuleNotFoundError: No module named 'scipy'"},
			want: "collection failed (line 1): ModuleNotFoundError: No module named 'scipy'",
		},
		{
			name: "CRLF",
			c:    Case{Classname: "tests.test_a", Name: "test_v", Outcome: outcomeFailed, Text: "E   assert 1 == 2\r\n\r\ntests/x.py:3: AssertionError\r\n"},
			want: "test_v (tests/x.py:3): assert 1 == 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test := tt.c.File
			if test == "" {
				test = "tests/test_a.py"
			}
			if got := failureMessage(tt.c, test, junitRoot); got != tt.want {
				t.Errorf("failureMessage =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func FuzzJUnit(f *testing.F) {
	files, _ := filepath.Glob("testdata/junit/*.xml")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<testsuite><testcase classname="" name="..."><error>E</error></testcase></testsuite>`))
	f.Add([]byte(`<testcase name="a" line="-3"><failure message="E">E
E  x
/proj/a.py:1: E</failure><skipped message="pending: "/></testcase>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cases, err := ParseJUnit(data)
		if err != nil && len(cases) > 0 && cases[len(cases)-1].Outcome == "" {
			t.Fatalf("a case without an outcome: %+v", cases)
		}
		for _, c := range cases {
			switch c.Outcome {
			case outcomePassed, outcomeFailed, outcomeError, outcomeSkipped:
			default:
				t.Fatalf("outcome %q", c.Outcome)
			}
			file := caseFile(c, map[string]bool{"tests/test_a.py": true}, junitRoot)
			if file == "" {
				t.Fatalf("no file for %+v", c)
			}
			if c.Failing() {
				msg := failureMessage(c, file, junitRoot)
				if msg == "" || strings.Count(msg, "\n") >= maxMessageLines {
					t.Fatalf("failureMessage = %q", msg)
				}
			}
			_ = c.TestName()
			_ = pendingReason(c.Message)
		}
	})
}
