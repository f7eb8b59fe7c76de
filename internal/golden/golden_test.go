package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeT records the failures of a check instead of failing the test.
type fakeT struct {
	testing.TB // the real test, for the methods not overridden here
	errors     []string
	fatal      bool
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
	runtime.Goexit()
}

// run calls check with a fakeT in a goroutine of its own, so that Fatalf can
// stop it as in a real test, and returns the fake and check's result.
func run(t *testing.T, check func(testing.TB) bool) (*fakeT, bool) {
	f := &fakeT{TB: t}
	var ok bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		ok = check(f)
	}()
	<-done
	return f, ok
}

// setUpdate sets the -update flag for the rest of the test.
func setUpdate(t *testing.T, v bool) {
	old := *Update
	*Update = v
	t.Cleanup(func() { *Update = old })
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckMatch(t *testing.T) {
	setUpdate(t, false)
	path := filepath.Join(t.TempDir(), "a.golden")
	write(t, path, "one\ntwo\n")
	f, ok := run(t, func(tb testing.TB) bool { return Check(tb, path, []byte("one\ntwo\n")) })
	if !ok || len(f.errors) > 0 {
		t.Errorf("equal content: ok=%v, errors %q", ok, f.errors)
	}
	f, ok = run(t, func(tb testing.TB) bool { return CheckString(tb, path, "one\ntwo\n") })
	if !ok || len(f.errors) > 0 {
		t.Errorf("CheckString, equal content: ok=%v, errors %q", ok, f.errors)
	}
}

func TestCheckMismatch(t *testing.T) {
	setUpdate(t, false)
	path := filepath.Join(t.TempDir(), "a.golden")
	write(t, path, "one\ntwo\nthree\nfour\nfive\nsix\n")
	f, ok := run(t, func(tb testing.TB) bool { return CheckString(tb, path, "one\ntwo\nthree\nFOUR\nfive\nsix\n") })
	if ok || len(f.errors) != 1 || f.fatal {
		t.Fatalf("mismatch: ok=%v fatal=%v, errors %q", ok, f.fatal, f.errors)
	}
	msg := f.errors[0]
	for _, want := range []string{
		path + ":4:1: ",
		"'f'", "'F'",
		">    4 | four\n", ">    4 | FOUR\n",
		"     2 | two\n", "     6 | six\n",
		"go test -update",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "one") {
		t.Errorf("message shows more than two lines of context:\n%s", msg)
	}
	if b, _ := os.ReadFile(path); string(b) != "one\ntwo\nthree\nfour\nfive\nsix\n" {
		t.Errorf("a failing check changed the golden file: %q", b)
	}
}

func TestCheckMissing(t *testing.T) {
	setUpdate(t, false)
	path := filepath.Join(t.TempDir(), "none.golden")
	f, ok := run(t, func(tb testing.TB) bool { return Check(tb, path, []byte("x")) })
	if ok || len(f.errors) != 1 || !strings.Contains(f.errors[0], path) || !strings.Contains(f.errors[0], "run go test -update to create it") {
		t.Errorf("missing file: ok=%v, errors %q", ok, f.errors)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a check without -update created the golden file")
	}
}

func TestCheckUpdate(t *testing.T) {
	setUpdate(t, true)
	path := filepath.Join(t.TempDir(), "new", "dir", "a.golden")
	f, ok := run(t, func(tb testing.TB) bool { return Check(tb, path, []byte("fresh\n")) })
	if !ok || len(f.errors) > 0 {
		t.Fatalf("update: ok=%v, errors %q", ok, f.errors)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "fresh\n" {
		t.Fatalf("after update: %q, %v", b, err)
	}
	f, ok = run(t, func(tb testing.TB) bool { return Check(tb, path, []byte("changed\n")) })
	if !ok || len(f.errors) > 0 {
		t.Fatalf("second update: ok=%v, errors %q", ok, f.errors)
	}
	if b, _ := os.ReadFile(path); string(b) != "changed\n" {
		t.Errorf("after second update: %q", b)
	}
}

func TestCheckJSON(t *testing.T) {
	setUpdate(t, false)
	path := filepath.Join(t.TempDir(), "a.golden.json")
	write(t, path, "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n")
	f, ok := run(t, func(tb testing.TB) bool { return CheckJSON(tb, path, map[string][]int{"a": {1, 2}}) })
	if !ok || len(f.errors) > 0 {
		t.Errorf("equal JSON: ok=%v, errors %q", ok, f.errors)
	}
	f, ok = run(t, func(tb testing.TB) bool { return CheckJSON(tb, path, map[string][]int{"a": {1, 3}}) })
	if ok || len(f.errors) != 1 || !strings.Contains(f.errors[0], path+":4:5: ") {
		t.Errorf("different JSON: ok=%v, errors %q", ok, f.errors)
	}
	f, _ = run(t, func(tb testing.TB) bool { return CheckJSON(tb, path, func() {}) })
	if !f.fatal {
		t.Errorf("unmarshallable value: want a fatal error, got %q", f.errors)
	}
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.in"), "A")
	write(t, filepath.Join(dir, "b.in"), "B")
	write(t, filepath.Join(dir, "c.out"), "C")
	var seen []string
	Inputs(t, filepath.Join(dir, "*.in"), func(t *testing.T, path string, src []byte) {
		seen = append(seen, t.Name()+"="+filepath.Base(path)+":"+string(src))
	})
	if got, want := strings.Join(seen, " "), "TestInputs/a.in=a.in:A TestInputs/b.in=b.in:B"; got != want {
		t.Errorf("Inputs saw %s; want %s", got, want)
	}
}

func TestDiff(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		name, got, want string
		has             []string // substrings of the description
		hasNot          []string
	}{
		{name: "equal", got: "a\nb\n", want: "a\nb\n"},
		{
			name: "first byte", got: "b\n", want: "a\n",
			has: []string{"f:1:1: ", "'a'", "'b'", ">    1 | a\n", ">    1 | b"},
		},
		{
			name: "column", got: "line one\nline Two\n", want: "line one\nline two\n",
			has: []string{"f:2:6: ", "'t'", "'T'", "     1 | line one\n", ">    2 | line two\n", ">    2 | line Two"},
		},
		{
			name: "output longer", got: "a\nb\nc\n", want: "a\nb\n",
			has: []string{"f:3:1: the golden file ends here; the output goes on for 2 more bytes", ">    3 | (end of file)", ">    3 | c"},
		},
		{
			name: "output shorter", got: "a\n", want: "a\nb\n",
			has: []string{"f:2:1: the output ends here; the golden file goes on for 2 more bytes", ">    2 | b\n", ">    2 | (end of file)"},
		},
		{
			name: "missing final newline", got: "a\nb", want: "a\nb\n",
			has: []string{"f:2:2: the output ends here", ">    2 | b⟨no newline at end of file⟩", ">    2 | b\n"},
		},
		{
			name: "trailing space", got: "a \n", want: "a\n",
			has: []string{"f:1:2: ", `'\n'`, "' '"},
		},
		{
			name: "multibyte", got: "é€x\n", want: "é€y\n",
			has: []string{"f:1:6: ", "'y'", "'x'"},
		},
		{
			name: "long line cut around the difference", got: long + "A" + long + "\n", want: long + "B" + long + "\n",
			has:    []string{"f:1:301: ", "…" + strings.Repeat("x", 80) + "B" + strings.Repeat("x", 79) + "…\n"},
			hasNot: []string{strings.Repeat("x", 161)},
		},
		{
			name: "long line cut at a rune boundary", got: strings.Repeat("é", 200) + "A\n", want: strings.Repeat("é", 200) + "B\n",
			has: []string{"f:1:401: ", "…é"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff("f", []byte(tt.got), []byte(tt.want))
			if tt.has == nil {
				if d != "" {
					t.Errorf("Diff of equal texts = %q", d)
				}
				return
			}
			for _, s := range tt.has {
				if !strings.Contains(d, s) {
					t.Errorf("Diff lacks %q:\n%s", s, d)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(d, s) {
					t.Errorf("Diff has %q:\n%s", s, d)
				}
			}
			if !strings.Contains(d, "--- want (golden file)\n") || !strings.Contains(d, "--- got (test output)\n") {
				t.Errorf("Diff lacks a section:\n%s", d)
			}
		})
	}
}
