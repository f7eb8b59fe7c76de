// Package scaffold generates a reproduction project from papers and their
// implementation plan: a Python project (uv and pip) with one package per
// paper, one module per component of the plan, a stub for every numbered
// equation and algorithm (its docstring quoting the paper), a test file for
// each written before the code, a model, data placeholders, a runnable
// training loop, configurations, a notebook, scripts and documentation.
//
// The output is deterministic: the same papers, plan and options give the
// same files. The project is rendered from templates embedded in the
// binary (templates/), in the manner of hugo's project skeletons.
//
// # The pending-test convention
//
// The generated tests are marked @pytest.mark.pending. The generated
// tests/conftest.py skips such a test, with the reason "pending: ...", while
// the function under test raises NotImplementedError from a "raise
// NotImplementedError" statement of the project's own packages, as every
// stub does; once the function is written the test runs for real. So pytest
// passes on a fresh project and never hides an implementation;
// pytest --strict-pending fails the pending tests instead.
//
// # Regenerating
//
// Every generated text file carries a marker with the SHA-256 of its
// generated body: a last line "# repro:generated sha256=<hex> ..." (an HTML
// comment in Markdown), or the metadata key "repro" in the notebook. On a
// later run a file whose body still matches its marker is regenerated when
// the plan changed it (Result.Written) and left untouched otherwise
// (Result.Unchanged); a file the user changed is left alone
// (Result.Kept), except that the stubs of equations new in the plan are
// appended to a changed module (Result.Extended). A second run on an
// unchanged project changes nothing.
package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/graph"
	"github.com/reprohq/repro/internal/plan"
	proj "github.com/reprohq/repro/internal/project"
	"github.com/reprohq/repro/internal/region"
	"github.com/reprohq/repro/internal/xerr"
)

// Outputs: what the project is driven by.
const (
	OutputNotebook = "notebook"
	OutputCLI      = "cli"
	OutputBoth     = "both"
)

// Outputs are the values of Options.Output.
var Outputs = []string{OutputNotebook, OutputCLI, OutputBoth}

// Options configure Generate.
type Options struct {
	// Out is the project folder; it is created when missing.
	Out string
	// Intent and Env are as in plan.Options (validate, full, component,
	// extend, benchmark; cpu, gpu, colab); "" takes the plan's. When they
	// differ from the plan's, the plan is rebuilt with them.
	Intent, Env string
	// Component, with intent component, generates only that component: a
	// module name ("attention"), a package-qualified module
	// ("tinyformer.attention"), a section number or a section title.
	Component string
	// Output is notebook, cli or both ("" is both): notebooks/ is written
	// for notebook and both, scripts/ for cli and both.
	Output string
	// Package overrides the Python package of a single paper.
	Package string
	// Version is repro's version, written into the markers.
	Version string
	// Git runs git init and a first commit in a new project when git is
	// installed.
	Git bool
	// Python is the interpreter repro check should run for the project
	// ("" leaves the choice to repro check: uv when installed, else
	// python3); it is recorded in .repro/project.json.
	Python string
	// Now is the clock for Result.Elapsed (time.Now when nil); no time
	// is ever written into the files.
	Now func() time.Time
}

// Result says what Generate did. Paths are relative to Options.Out, with
// slashes, sorted.
type Result struct {
	// Written are the files created or regenerated.
	Written []string
	// Unchanged are the files that already held what would be written.
	Unchanged []string
	// Kept are the files the user changed since repro wrote them (or that
	// repro did not write): left alone.
	Kept []string
	// Extended are changed modules (also in Kept) to which the stubs of
	// equations and algorithms new in the plan were appended.
	Extended []string
	// GitNote says what happened with git.
	GitNote string
	// Elapsed is how long Generate took.
	Elapsed time.Duration
}

func usage(msg, hint string) error {
	return &xerr.Error{Kind: xerr.KindUsage, Msg: msg, Hint: hint}
}

// Generate writes the project of papers, following the plan p (built from
// papers with the options' intent and environment when nil), into o.Out.
// Files are written atomically; see the package documentation for how
// files the user changed are kept.
//
// With o.Git, a new project (no .git, and not inside another git work
// tree) gets git init and a first commit of everything in the folder that
// the generated .gitignore does not exclude, with repro's identity when
// git has none configured; an existing repository is left to its owner:
// Generate commits nothing there, and Result.GitNote says so.
func Generate(ctx context.Context, papers []graph.Paper, p *plan.Plan, o Options) (*Result, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	if err := o.check(); err != nil {
		return nil, err
	}
	if p == nil || (o.Intent != "" && o.Intent != p.Intent) || (o.Env != "" && o.Env != p.Env) {
		p = plan.Build(nil, papers, plan.Options{Intent: o.Intent, Env: o.Env, Version: o.Version})
	}
	if o.Component != "" && p.Intent != plan.IntentComponent {
		return nil, usage("a component is chosen only with the intent component", "add --intent component, or leave the component out")
	}
	if o.Output == "" {
		o.Output = OutputBoth
	}
	pr, err := build(papers, p, o)
	if err != nil {
		return nil, err
	}
	files, err := renderAll(pr, o.Version)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(o.Out); err == nil && !fi.IsDir() {
		return nil, xerr.Input(o.Out, "the project folder is a file", "choose another folder")
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	res := &Result{Written: []string{}, Unchanged: []string{}, Kept: []string{}, Extended: []string{}}
	made := map[string]bool{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return nil, fmt.Errorf("scaffold: refusing to write outside the project: %s", f.Path)
		}
		target := filepath.Join(o.Out, filepath.FromSlash(f.Path))
		current, err := os.ReadFile(target)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		switch judge(f.Path, current, exists, f.Body) {
		case unchanged:
			res.Unchanged = append(res.Unchanged, f.Path)
			continue
		case kept:
			res.Kept = append(res.Kept, f.Path)
			if f.Stubs == nil {
				continue
			}
			extra := f.Stubs(current)
			if extra == nil {
				continue
			}
			if err := atomicfile.WriteFile(target, append(current, extra...)); err != nil {
				return nil, err
			}
			res.Extended = append(res.Extended, f.Path)
			continue
		}
		body := f.Body
		if exists {
			// The regions that repro check and repro bench maintain keep
			// their current content.
			body = region.Carry(current, body)
		}
		dir := filepath.Dir(target)
		if !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			made[dir] = true
		}
		if err := atomicfile.WriteFile(target, mark(f.Path, body, o.Version)); err != nil {
			return nil, err
		}
		if f.Exec {
			if err := os.Chmod(target, 0o755); err != nil {
				return nil, err
			}
		}
		res.Written = append(res.Written, f.Path)
	}
	m := manifest(pr)
	m.Python = o.Python
	switch wrote, err := writeManifest(o.Out, m); {
	case err != nil:
		return nil, err
	case wrote:
		res.Written = append(res.Written, proj.File)
	default:
		res.Unchanged = append(res.Unchanged, proj.File)
	}
	slices.Sort(res.Written)
	slices.Sort(res.Unchanged)
	if o.Git {
		note, err := initGit(ctx, o.Out, len(res.Written)+len(res.Extended), o.Version)
		if err != nil {
			return nil, err
		}
		res.GitNote = note
	}
	res.Elapsed = now().Sub(start)
	return res, nil
}

// check validates the options.
func (o Options) check() error {
	if strings.TrimSpace(o.Out) == "" {
		return usage("no project folder given", "name the folder to generate the project into")
	}
	if o.Intent != "" && !slices.Contains(plan.Intents, o.Intent) {
		return usage(fmt.Sprintf("unknown intent %q", o.Intent), "use one of "+strings.Join(plan.Intents, ", "))
	}
	if o.Env != "" && !slices.Contains(plan.Envs, o.Env) {
		return usage(fmt.Sprintf("unknown environment %q", o.Env), "use one of "+strings.Join(plan.Envs, ", "))
	}
	if o.Output != "" && !slices.Contains(Outputs, o.Output) {
		return usage(fmt.Sprintf("unknown output %q", o.Output), "use one of "+strings.Join(Outputs, ", "))
	}
	return nil
}
