package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseEdits(t *testing.T) {
	tests := []struct {
		name       string
		answer     string
		allowTests bool
		want       []string // path=content
		err        string
	}{
		{name: "one file with prose", answer: "Here is the fix.\n\nFILE: src/p/m.py\n```python\nx = 1\n```\n\nThis implements it.",
			want: []string{"src/p/m.py=x = 1\n"}},
		{name: "markdown header", answer: "### File: `src/p/m.py`\n\n```python\nx = 1\n```",
			want: []string{"src/p/m.py=x = 1\n"}},
		{name: "bold path", answer: "**path:** src/p/m.py\n```\nx = 1\n```",
			want: []string{"src/p/m.py=x = 1\n"}},
		{name: "two files", answer: "FILE: src/p/a.py\n```python\na = 1\n```\nFILE: ./src/p/b.py\n~~~python\nb = 2\n~~~\n",
			want: []string{"src/p/a.py=a = 1\n", "src/p/b.py=b = 2\n"}},
		{name: "four backticks keep inner fence", answer: "FILE: src/p/m.py\n````python\ns = '''\n```\n'''\n````",
			want: []string{"src/p/m.py=s = '''\n```\n'''\n"}},
		{name: "unfenced block ignored", answer: "```python\nprint(1)\n```\nFILE: src/p/m.py\n```python\nx = 1\n```",
			want: []string{"src/p/m.py=x = 1\n"}},
		{name: "no file", answer: "I think the answer is 42.\n```python\nx = 1\n```", err: "no file"},
		{name: "empty", answer: "", err: "no file"},
		{name: "unclosed", answer: "FILE: src/p/m.py\n```python\nx = 1\n", err: "not closed"},
		{name: "header without block", answer: "FILE: src/p/m.py\n", err: "no fenced code block"},
		{name: "empty block", answer: "FILE: src/p/m.py\n```python\n\n```", err: "empty"},
		{name: "twice", answer: "FILE: src/p/m.py\n```\nx\n```\nFILE: src/p/m.py\n```\ny\n```", err: "twice"},
		{name: "absolute", answer: "FILE: /etc/passwd\n```\nx\n```", err: "absolute"},
		{name: "home", answer: "FILE: ~/.bashrc\n```\nx\n```", err: "absolute"},
		{name: "windows drive", answer: "FILE: C:/x.py\n```\nx\n```", err: "absolute"},
		{name: "backslash", answer: "FILE: src\\p\\m.py\n```\nx\n```", err: "must use /"},
		{name: "dotdot", answer: "FILE: src/../tests/test_x.py\n```\nx\n```", err: "go up"},
		{name: "dotdot out", answer: "FILE: src/p/../../../x.py\n```\nx\n```", err: "go up"},
		{name: "tests refused", answer: "FILE: tests/test_x.py\n```\nx\n```", err: "tests may not be changed"},
		{name: "tests allowed", answer: "FILE: tests/test_x.py\n```\nx\n```", allowTests: true, want: []string{"tests/test_x.py=x\n"}},
		{name: "outside", answer: "FILE: pyproject.toml\n```\nx\n```", err: "outside src/"},
		{name: "repro state", answer: "FILE: src/.repro/x\n```\nx\n```", err: "path into .repro"},
		{name: "folder only", answer: "FILE: src\n```\nx\n```", err: "not a file"},
		{name: "one bad path rejects all", answer: "FILE: src/p/a.py\n```\na\n```\nFILE: setup.py\n```\nb\n```", err: "outside src/"},
		{name: "crlf", answer: "FILE: src/p/m.py\r\n```python\r\nx = 1\r\n```\r\n", want: []string{"src/p/m.py=x = 1\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits, err := ParseEdits(tt.answer, tt.allowTests)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q (edits %v)", err, tt.err, edits)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range edits {
				got = append(got, e.Path+"="+e.Content)
				if e.Bytes != len(e.Content) || len(e.SHA256) != 64 {
					t.Errorf("%s: bytes %d, sha %q", e.Path, e.Bytes, e.SHA256)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestApplyEditsSymlink(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "src", "evil")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.WriteFile(filepath.Join(outside, "target.py"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "target.py"), filepath.Join(root, "src", "link.py")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"src/evil/x.py", "src/link.py"} {
		edits := []Edit{{Path: "src/ok.py", Content: "ok\n"}, {Path: p, Content: "pwned\n"}}
		if err := applyEdits(root, filepath.Join(root, ".repro", "agent", "backup"), edits); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("%s: error %v, want a refusal of the link", p, err)
		}
		if _, err := os.Stat(filepath.Join(root, "src", "ok.py")); err == nil {
			t.Errorf("%s: the other edit of the answer was applied", p)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "target.py")); string(b) != "old\n" {
		t.Errorf("the file outside the project changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(outside, "x.py")); err == nil {
		t.Error("a file was written outside the project")
	}

	// A normal edit keeps a backup of the original.
	if err := os.MkdirAll(filepath.Join(root, "src", "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "src", "p", "m.py"), []byte("stub\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(root, ".repro", "agent", "backup")
	for _, c := range []string{"v1\n", "v2\n"} {
		if err := applyEdits(root, bak, []Edit{{Path: "src/p/m.py", Content: c}}); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, "src", "p", "m.py")); string(b) != "v2\n" {
		t.Errorf("file %q, want v2", b)
	}
	if b, _ := os.ReadFile(filepath.Join(bak, "src", "p", "m.py")); string(b) != "stub\n" {
		t.Errorf("backup %q, want the original", b)
	}
}

// FuzzParseEdits: no answer makes ParseEdits panic, and every edit it
// accepts stays inside src/ (or tests/ when allowed), without "..".
func FuzzParseEdits(f *testing.F) {
	f.Add("FILE: src/p/m.py\n```python\nx = 1\n```\n", false)
	f.Add("FILE: ../etc/passwd\n```\nx\n```", true)
	f.Add("### File: `tests/t.py`\n~~~~\n```\n~~~~\n", true)
	f.Fuzz(func(t *testing.T, answer string, allowTests bool) {
		edits, err := ParseEdits(answer, allowTests)
		if err != nil {
			return
		}
		for _, e := range edits {
			ok := strings.HasPrefix(e.Path, "src/") || (allowTests && strings.HasPrefix(e.Path, "tests/"))
			if !ok || strings.Contains(e.Path, "..") || strings.HasPrefix(e.Path, "/") || strings.Contains(e.Path, "\\") {
				t.Fatalf("accepted %q from %q", e.Path, answer)
			}
		}
	})
}
