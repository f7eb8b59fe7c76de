package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/reprohq/repro/internal/bench"
	proj "github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/region"
	"github.com/reprohq/repro/internal/render"
)

// The templates of the generated project:
//
//   - templates/project/: files rendered once with the whole project; the
//     output path is the template's path without ".tmpl", with a leading
//     "dot-" in a name standing for "." (so that the repository holds no
//     .gitignore of the project's);
//   - templates/package/: rendered once per paper into src/<package>/;
//   - templates/special/: rendered by code, per component, equation,
//     algorithm or paper;
//   - templates/partials/: definitions shared by the others.
//
// A template that renders to white space only produces no file; that is how
// a template depends on the options (no scripts without the command line,
// no notebook without notebooks).
//
//go:embed all:templates
var templateFS embed.FS

var (
	tmplOnce sync.Once
	tmpl     *template.Template
	tmplErr  error
)

// templates parses the embedded templates once; each is named by its path
// under templates/.
func templates() (*template.Template, error) {
	tmplOnce.Do(func() {
		root := template.New("").Funcs(funcs).Option("missingkey=error")
		tmplErr = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
				return err
			}
			b, err := templateFS.ReadFile(p)
			if err != nil {
				return err
			}
			_, err = root.New(strings.TrimPrefix(p, "templates/")).Parse(string(b))
			return err
		})
		tmpl = root
	})
	return tmpl, tmplErr
}

var funcs = template.FuncMap{
	"pydoc":     pyDoc,
	"pycomment": pyComment,
	"pystr":     pyStr,
	"mdcell":    mdCell,
	"mdtext":    mdText,
	"oneline":   func(n int, s string) string { return oneLine(s, n) },
	"fence":     fence,
	"join":      func(sep string, xs []string) string { return strings.Join(xs, sep) },
	"list":      func(xs ...string) []string { return xs },
	"base":      path.Base,
	"sub":       func(a, b int) int { return a - b },
	"deref":     func(b *bool) bool { return b != nil && *b },
	"pct":       func(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) + "%" },
	"wrap":      wrap,
	"signature": signature,
	"raise":     raiseLine,
	"pytuple": func(xs []string) string {
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = pyStr(x)
		}
		if len(q) == 1 {
			return "(" + q[0] + ",)"
		}
		return "(" + strings.Join(q, ", ") + ")"
	},
	"items": func(c *component) string {
		var ks []string
		for _, e := range c.Equations {
			ks = append(ks, "("+e.Key+")")
		}
		return plural(len(ks), "Equation ", "Equations ") + strings.Join(ks, ", ")
	},
	"algItems": func(c *component) string {
		var ks []string
		for _, a := range c.Algorithms {
			ks = append(ks, a.Key)
		}
		return plural(len(ks), "Algorithm ", "Algorithms ") + strings.Join(ks, ", ")
	},
	"region": func(name string, content []byte) string {
		return string(region.Wrap(name, content))
	},
	"tables": func(ts []bench.Target) string {
		var names []string
		for _, t := range ts {
			n := "Table " + t.Source.Table
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	},
	"anyBench": func(ps []*paper) bool {
		for _, p := range ps {
			if len(p.Targets) > 0 {
				return true
			}
		}
		return false
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wrap breaks text into lines of about width runes.
func wrap(width int, s string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(clean(s)) {
		l := len([]rune(w))
		if n > 0 && n+1+l > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// signature is the line (or lines, when longer than 100 characters, in
// the form ruff format gives them) that defines a stub.
func signature(name string, params []string, ret string) string {
	typed := make([]string, len(params))
	for i, p := range params {
		typed[i] = p + ": torch.Tensor"
	}
	line := "def " + name + "(" + strings.Join(typed, ", ") + ") -> " + ret + ":"
	if len(line) <= 100 {
		return line
	}
	return "def " + name + "(\n    " + strings.Join(typed, ",\n    ") + ",\n) -> " + ret + ":"
}

// raiseLine is the statement that a stub ends with, indented by four
// spaces after the first line.
func raiseLine(msg string) string {
	line := "raise NotImplementedError(" + pyStr(msg) + ")"
	if len(line)+4 <= 100 {
		return line
	}
	return "raise NotImplementedError(\n        " + pyStr(msg) + "\n    )"
}

// file is one generated file.
type file struct {
	Path string // relative, with slashes
	Body []byte // without the marker
	Exec bool
	// Stubs renders the stubs of the functions missing from an edited
	// module (components only).
	Stubs func(current []byte) []byte
}

// pkgData is what the package templates see.
type pkgData struct {
	P     *project
	Paper *paper
}

// compData is what the component template sees.
type compData struct {
	P    *project
	Comp *component
}

// eqData and algData are what the test templates see.
type eqData struct {
	P  *project
	Eq *equation
}

type algData struct {
	P   *project
	Alg *algorithm
}

// renderAll renders every file of the project, sorted by path.
func renderAll(pr *project, version string) ([]file, error) {
	t, err := templates()
	if err != nil {
		return nil, fmt.Errorf("scaffold templates: %w", err)
	}
	var files []file
	exec := func(name string, data any) ([]byte, error) {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, data); err != nil {
			return nil, fmt.Errorf("scaffold template %s: %w", name, err)
		}
		return b.Bytes(), nil
	}
	add := func(p string, body []byte) error {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		if path.Ext(p) == ".ipynb" {
			nb, err := notebook(body, pr)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			body = nb
		}
		files = append(files, file{Path: p, Body: finish(p, body), Exec: path.Ext(p) == ".sh"})
		return nil
	}
	pr.Layout = layout(pr)
	for _, name := range namesUnder(t, "project/") {
		out := strings.TrimSuffix(strings.TrimPrefix(name, "project/"), ".tmpl")
		dir, base := path.Split(out)
		out = dir + strings.Replace(base, "dot-", ".", 1)
		b, err := exec(name, pr)
		if err != nil {
			return nil, err
		}
		if err := add(out, b); err != nil {
			return nil, err
		}
	}
	if err := add(proj.BenchmarksFile, pr.Bench.Marshal()); err != nil {
		return nil, err
	}
	if err := add("IMPLEMENTATION_PLAN.md", pr.Plan.Markdown()); err != nil {
		return nil, err
	}
	for _, pa := range pr.Papers {
		var md bytes.Buffer
		if err := render.Markdown(&md, pa.Doc, render.Options{Version: version}); err != nil {
			return nil, err
		}
		if err := add("papers/"+pa.FileID+".context.md", md.Bytes()); err != nil {
			return nil, err
		}
		var js bytes.Buffer
		if err := render.FileJSON(&js, pa.Doc); err != nil {
			return nil, err
		}
		if err := add("papers/"+pa.FileID+".context.json", js.Bytes()); err != nil {
			return nil, err
		}
		if err := add("tests/"+pa.OracleModule+".py", oracleModule(pa)); err != nil {
			return nil, err
		}
		data := pkgData{P: pr, Paper: pa}
		for _, name := range namesUnder(t, "package/") {
			b, err := exec(name, data)
			if err != nil {
				return nil, err
			}
			if err := add("src/"+pa.Package+"/"+strings.TrimSuffix(strings.TrimPrefix(name, "package/"), ".tmpl"), b); err != nil {
				return nil, err
			}
		}
		if pr.Model {
			for _, x := range []struct{ tmpl, out string }{{"special/paper.yaml.tmpl", pa.Config}, {"special/test_model.py.tmpl", pa.ModelTest}} {
				b, err := exec(x.tmpl, data)
				if err != nil {
					return nil, err
				}
				if err := add(x.out, b); err != nil {
					return nil, err
				}
			}
		}
		for _, co := range pa.Components {
			b, err := exec("special/component.py.tmpl", compData{P: pr, Comp: co})
			if err != nil {
				return nil, err
			}
			if err := add(co.Path, b); err != nil {
				return nil, err
			}
			co := co
			files[len(files)-1].Stubs = func(current []byte) []byte { return missingStubs(t, co, current, version) }
			for _, e := range co.Equations {
				if e.Test == "" {
					continue
				}
				b, err := exec("special/test_equation.py.tmpl", eqData{P: pr, Eq: e})
				if err != nil {
					return nil, err
				}
				if err := add(e.Test, b); err != nil {
					return nil, err
				}
			}
			for _, a := range co.Algorithms {
				if a.Test == "" {
					continue
				}
				b, err := exec("special/test_algorithm.py.tmpl", algData{P: pr, Alg: a})
				if err != nil {
					return nil, err
				}
				if err := add(a.Test, b); err != nil {
					return nil, err
				}
			}
		}
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.Path, b.Path) })
	for i := 1; i < len(files); i++ {
		if files[i].Path == files[i-1].Path {
			return nil, fmt.Errorf("scaffold: two files would be written to %s", files[i].Path)
		}
	}
	return files, nil
}

// namesUnder lists the templates under a folder, sorted.
func namesUnder(t *template.Template, dir string) []string {
	var out []string
	for _, x := range t.Templates() {
		if strings.HasPrefix(x.Name(), dir) && strings.HasSuffix(x.Name(), ".tmpl") {
			out = append(out, x.Name())
		}
	}
	slices.Sort(out)
	return out
}

// finish normalises a generated body: a final newline, no trailing spaces;
// in Python files, two blank lines before the marker when the code ends
// inside a definition (where ruff format puts them).
func finish(p string, body []byte) []byte {
	lines := strings.Split(strings.TrimRight(string(body), "\n "), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t")
	}
	s := strings.Join(lines, "\n") + "\n"
	if path.Ext(p) == ".py" {
		if last := lines[len(lines)-1]; strings.HasPrefix(last, " ") || strings.HasPrefix(last, ")") {
			s += "\n\n"
		}
	}
	return []byte(s)
}

// missingStubs renders the stubs of co's numbered equations and
// algorithms whose function the module current does not define, with a
// note; nil when none is missing.
func missingStubs(t *template.Template, co *component, current []byte, version string) []byte {
	var b bytes.Buffer
	defines := func(name string) bool {
		return bytes.Contains(current, []byte("def "+name+"("))
	}
	for _, e := range co.Equations {
		if !defines(e.Func) {
			if err := t.ExecuteTemplate(&b, "stub_eq", e); err != nil {
				return nil
			}
		}
	}
	for _, a := range co.Algorithms {
		if !defines(a.Func) {
			if err := t.ExecuteTemplate(&b, "stub_alg", a); err != nil {
				return nil
			}
		}
	}
	if b.Len() == 0 {
		return nil
	}
	var out bytes.Buffer
	if !bytes.HasSuffix(current, []byte("\n")) {
		out.WriteString("\n")
	}
	out.WriteString("\n\n# Stubs added by " + strings.TrimSpace("repro "+version) + " for equations and algorithms new in the plan.\n")
	if !bytes.Contains(current, []byte("\nimport torch\n")) && !bytes.HasPrefix(current, []byte("import torch\n")) {
		out.WriteString("import torch  # noqa: E402\n")
	}
	out.Write(b.Bytes())
	return out.Bytes()
}
