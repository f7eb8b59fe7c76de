package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/reprohq/repro/internal/atomicfile"
)

// Edit is one whole-file replacement the model asked for.
type Edit struct {
	Path    string `json:"path"` // slash path relative to the project root
	Content string `json:"-"`
	SHA256  string `json:"sha256"` // of Content
	Bytes   int    `json:"bytes"`
}

// headerRe matches the line that names the file of the next fenced block:
// "FILE: src/pkg/mod.py", tolerating Markdown decoration around it
// ("### File: `src/pkg/mod.py`", "**path:** src/pkg/mod.py").
var headerRe = regexp.MustCompile("(?i)^[\\s#>*_-]*(?:file|path)\\s*:?[\\s*_]*:?\\s*`?([^`*\\s]+)`?[\\s*_]*$")

// fenceRe matches an opening fence: three or more backticks or tildes and
// an optional info string.
var fenceRe = regexp.MustCompile("^\\s*(`{3,}|~{3,})\\s*([^`]*)$")

// ParseEdits reads the file replacements of a model's answer: each is a
// line "FILE: <path>" followed (blank lines allowed) by a fenced code block
// holding the whole new content of the file. Prose around the blocks and
// fenced blocks without a FILE line are ignored. The answer is rejected as a
// whole — no edit of it is applied — when it has no file block, a block is
// not closed, a path is unsafe or outside what allowed permits (see
// checkPath), or a path appears twice.
func ParseEdits(answer string, allowTests bool) ([]Edit, error) {
	lines := strings.Split(strings.ReplaceAll(answer, "\r\n", "\n"), "\n")
	var edits []Edit
	seen := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		m := headerRe.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j == len(lines) {
			return nil, fmt.Errorf("the line %q names a file but no fenced code block follows it", strings.TrimSpace(lines[i]))
		}
		f := fenceRe.FindStringSubmatch(lines[j])
		if f == nil {
			// "File: ..." in prose, not a header.
			continue
		}
		p, err := checkPath(m[1], allowTests)
		if err != nil {
			return nil, err
		}
		if seen[p] {
			return nil, fmt.Errorf("%s: the answer replaces the file twice", p)
		}
		seen[p] = true
		fence := f[1]
		var body []string
		closed := false
		k := j + 1
		for ; k < len(lines); k++ {
			t := strings.TrimSpace(lines[k])
			if len(t) >= len(fence) && t[0] == fence[0] && strings.Trim(t, string(fence[0])) == "" {
				closed = true
				break
			}
			body = append(body, lines[k])
		}
		if !closed {
			return nil, fmt.Errorf("%s: the code block is not closed (a line of %s)", p, fence)
		}
		content := strings.Join(body, "\n")
		if content = strings.TrimRight(content, " \t\n") + "\n"; strings.TrimSpace(content) == "" {
			return nil, fmt.Errorf("%s: the code block is empty", p)
		}
		sum := sha256.Sum256([]byte(content))
		edits = append(edits, Edit{Path: p, Content: content, SHA256: hex.EncodeToString(sum[:]), Bytes: len(content)})
		i = k
	}
	if len(edits) == 0 {
		return nil, errors.New("the answer has no file: give each file as a line \"FILE: src/<package>/<module>.py\" followed by a fenced code block with its whole content")
	}
	return edits, nil
}

// checkPath cleans a path the model gave and checks that the agent may
// write it: relative, slash-separated, without "..", inside src/ (or
// tests/ when allowTests).
func checkPath(p string, allowTests bool) (string, error) {
	orig := p
	switch {
	case p == "":
		return "", errors.New("an empty file path")
	case strings.ContainsAny(p, "\\\x00"):
		return "", fmt.Errorf("%q: a file path must use / and no special characters", orig)
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || (len(p) > 1 && p[1] == ':'):
		return "", fmt.Errorf("%q: an absolute path; give it relative to the project's root", orig)
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." {
			return "", fmt.Errorf("%q: a path may not go up (..) out of its folder", orig)
		}
	}
	p = path.Clean(strings.TrimPrefix(p, "./"))
	top, rest, _ := strings.Cut(p, "/")
	switch {
	case (top == "src" || top == "tests") && rest == "":
		return "", fmt.Errorf("%q: not a file inside src/", orig)
	case top == "src":
	case top == "tests" && allowTests:
	case top == "tests":
		return "", fmt.Errorf("%q: the tests may not be changed (only files under src/)", orig)
	default:
		return "", fmt.Errorf("%q: outside src/ (the agent writes only there)", orig)
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".git" || el == ".repro" || el == "__pycache__" {
			return "", fmt.Errorf("%q: a path into %s", orig, el)
		}
	}
	return p, nil
}

// noSymlink checks that no existing element of rel under root is a symbolic
// link (nor anything but a folder on the way), so that a write cannot leave
// the project.
func noSymlink(root, rel string) error {
	cur := root
	parts := strings.Split(rel, "/")
	for i, el := range parts {
		cur = filepath.Join(cur, el)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: %s is a symbolic link; the agent does not write through links", rel, strings.Join(parts[:i+1], "/"))
		}
		if i < len(parts)-1 && !fi.IsDir() {
			return fmt.Errorf("%s: %s is not a folder", rel, strings.Join(parts[:i+1], "/"))
		}
		if i == len(parts)-1 && !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", rel)
		}
	}
	return nil
}

// applyEdits checks every edit against the file system, saves the original
// of each file the agent touches for the first time under backupDir, then
// writes each edit atomically (temporary file and rename). Nothing is
// written when a check fails.
func applyEdits(root, backupDir string, edits []Edit) error {
	for _, e := range edits {
		if err := noSymlink(root, e.Path); err != nil {
			return err
		}
	}
	for _, e := range edits {
		dst := filepath.Join(root, filepath.FromSlash(e.Path))
		bak := filepath.Join(backupDir, filepath.FromSlash(e.Path))
		if _, err := os.Lstat(bak); errors.Is(err, fs.ErrNotExist) {
			if old, err := os.ReadFile(dst); err == nil {
				if err := os.MkdirAll(filepath.Dir(bak), 0o755); err != nil {
					return err
				}
				if err := atomicfile.WriteFile(bak, old); err != nil {
					return err
				}
			}
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		// The folders just made may not be links: check again.
		if err := noSymlink(root, e.Path); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(dst, []byte(e.Content)); err != nil {
			return err
		}
	}
	return nil
}
