package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/reprohq/repro/internal/atomicfile"
	"github.com/reprohq/repro/internal/llm"
)

// Dir is where the agent keeps its state, relative to the project's root.
const Dir = ".repro/agent"

// checkpointVersion is the version of the checkpoints' format; a
// checkpoint of another version is ignored (the step is done again).
const checkpointVersion = 1

// Phases of a step.
const (
	phaseAnswered = "answered" // the model answered; edits and tests not done yet
	phaseTested   = "tested"   // the edits were applied (or rejected) and the tests ran
)

// start is a unit's first request, written before the first call: every
// later request derives from it and the steps, so that a resumed run asks
// exactly what the interrupted one would have.
type start struct {
	Version int         `json:"version"`
	Module  string      `json:"module"`
	Request llm.Request `json:"request"`
}

// Step is one round of a unit: the request's hash, the model's answer,
// the edits applied and the tests' result.
type Step struct {
	Version     int          `json:"version"`
	Module      string       `json:"module"`
	Round       int          `json:"round"`
	Phase       string       `json:"phase"`
	RequestHash string       `json:"request_hash"`
	Response    llm.Response `json:"response"`
	Edits       []Edit       `json:"edits,omitempty"`
	EditError   string       `json:"edit_error,omitempty"`
	Test        *TestResult  `json:"test,omitempty"`
}

// requestHash identifies a request by what the model is shown.
func requestHash(r llm.Request) string {
	b, _ := json.Marshal(struct {
		System   string        `json:"system"`
		Messages []llm.Message `json:"messages"`
	}{r.System, r.Messages})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

type store struct {
	root string
}

func (s store) base() string           { return filepath.Join(s.root, filepath.FromSlash(Dir)) }
func (s store) unitDir(u *unit) string { return filepath.Join(s.base(), "steps", u.slug()) }
func (s store) backupDir() string      { return filepath.Join(s.base(), "backup") }
func (s store) transcript(u *unit) string {
	return filepath.Join(s.base(), "transcripts", u.slug()+".md")
}
func (s store) startFile(u *unit) string { return filepath.Join(s.unitDir(u), "start.json") }
func (s store) stepFile(u *unit, r int) string {
	return filepath.Join(s.unitDir(u), fmt.Sprintf("round-%02d.json", r))
}
func (s store) junit(u *unit, r int) string {
	return filepath.Join(s.base(), "tmp", fmt.Sprintf("%s-round-%02d.xml", u.slug(), r))
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// load reads the unit's start and its steps in order, up to the first
// missing, unreadable or foreign one.
func (s store) load(u *unit) (*start, []*Step) {
	var st start
	b, err := os.ReadFile(s.startFile(u))
	if err != nil || json.Unmarshal(b, &st) != nil || st.Version != checkpointVersion || st.Module != u.Module {
		return nil, nil
	}
	var steps []*Step
	for r := 1; ; r++ {
		b, err := os.ReadFile(s.stepFile(u, r))
		if err != nil {
			break
		}
		var step Step
		if json.Unmarshal(b, &step) != nil || step.Version != checkpointVersion || step.Round != r || step.Module != u.Module {
			break
		}
		steps = append(steps, &step)
	}
	return &st, steps
}

// dropFrom deletes the unit's steps from round r on.
func (s store) dropFrom(u *unit, r int) error {
	for ; ; r++ {
		err := os.Remove(s.stepFile(u, r))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// writeTranscript rewrites the unit's transcript from its checkpoints.
func (s store) writeTranscript(u *unit, st *start, steps []*Step) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Transcript: %s\n\n## System\n\n%s\n", u.Module, quoteBlock(st.Request.System))
	for i, step := range steps {
		fmt.Fprintf(&b, "\n## Round %d\n\n### Prompt\n\n", step.Round)
		if i == 0 {
			if len(st.Request.Messages) > 0 {
				b.WriteString(quoteBlock(st.Request.Messages[len(st.Request.Messages)-1].Content))
			}
		} else {
			b.WriteString(quoteBlock(feedback(u, steps[i-1])))
		}
		r := step.Response
		fmt.Fprintf(&b, "\n### Answer (%s: %d input tokens, %d output tokens, $%.6f)\n\n%s\n", r.Model, r.Usage.InputTokens, r.Usage.OutputTokens, r.Cost, quoteBlock(r.Text))
		b.WriteString("\n### Result\n\n")
		switch {
		case step.EditError != "":
			fmt.Fprintf(&b, "Answer rejected: %s\n", step.EditError)
		case step.Phase != phaseTested:
			b.WriteString("Not tested yet (the run stopped).\n")
		default:
			for _, e := range step.Edits {
				fmt.Fprintf(&b, "- wrote %s (%d bytes, sha256 %s)\n", e.Path, e.Bytes, e.SHA256[:12])
			}
			if step.Test != nil {
				fmt.Fprintf(&b, "- tests: %s\n", step.Test.Summary())
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(s.transcript(u)), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(s.transcript(u), []byte(b.String()))
}

// quoteBlock fences text for Markdown with a fence longer than any run of
// backticks in it.
func quoteBlock(text string) string {
	n, run := 3, 0
	for _, c := range text {
		if c == '`' {
			run++
			if run >= n {
				n = run + 1
			}
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", n)
	return f + "text\n" + strings.TrimRight(text, "\n") + "\n" + f + "\n"
}
