package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// systemPrompt states the rules and the answer format.
const systemPrompt = `You implement the numbered equations and algorithms of a research paper in a Python project that uses PyTorch.

Rules:
- Each function to write is a stub that raises NotImplementedError. Replace the raise with a correct PyTorch implementation of the equation or algorithm its docstring quotes.
- Keep every function's name, parameters and their order; keep the docstrings and the module's other code. You may add imports and private helper functions.
- The tests are the specification: they compare the implementation with a NumPy oracle on random inputs, check shapes, gradients, finiteness and determinism. Make them pass by implementing the mathematics, never by special-casing the tests.
- Do not change the tests. Write only files under src/.
- Use torch operations that keep gradients (no .detach(), .numpy() or .item() on the result's path) and work in float64 as given.

Answer format (strict): for each file you change, a line
FILE: <path relative to the project's root, e.g. src/package/module.py>
followed by a fenced code block (three backticks) holding the WHOLE new content of that file. Nothing else is read from the answer; keep any explanation short and outside the blocks. If the content itself contains a line of three backticks, fence it with four.`

// systemPromptTests replaces the rule on tests when test edits are allowed.
const testsRule = "- Do not change the tests. Write only files under src/."
const testsAllowed = "- Change the tests only when a test is wrong, never to hide a wrong implementation. Write only files under src/ and tests/."

func system(allowTests bool) string {
	if allowTests {
		return strings.Replace(systemPrompt, testsRule, testsAllowed, 1)
	}
	return systemPrompt
}

func readClipped(root, rel string, n int) string {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return ""
	}
	return clip(string(b), n)
}

// firstPrompt is the first user message about a unit: what to implement,
// the module's source, its tests, the oracles, the helpers and the paper's
// sections.
func firstPrompt(root string, u *unit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Module: %s\n\nImplement in it:\n", u.Module)
	for i, it := range u.Items {
		label := ""
		if it.Label != "" {
			label = " (" + it.Label + ")"
		}
		fmt.Fprintf(&b, "- %s %s%s: function %s, tested by %s\n", u.Kinds[i], it.Number, label, it.Func, it.Test)
	}
	fmt.Fprintf(&b, "\n## The module now: %s\n\n````python\n%s````\n", u.Module, ensureNL(readClipped(root, u.Module, maxFile*2)))
	for _, t := range u.Tests {
		fmt.Fprintf(&b, "\n## Test: %s\n\n````python\n%s````\n", t, ensureNL(readClipped(root, t, maxFile)))
	}
	if o := oracleFunctions(root, u); o != "" {
		fmt.Fprintf(&b, "\n## The oracles the tests compare with (NumPy)\n\n````python\n%s````\n", ensureNL(o))
	}
	if h := readClipped(root, "tests/helpers.py", maxHelpers); h != "" {
		fmt.Fprintf(&b, "\n## tests/helpers.py\n\n````python\n%s````\n", ensureNL(h))
	}
	if c := contextSlice(root, u); c != "" {
		fmt.Fprintf(&b, "\n## From the paper (papers/%s.context.md)\n\n%s\n", u.Paper, c)
	}
	fmt.Fprintf(&b, "\nAnswer with the whole new %s in the required format: the line \"FILE: %s\" then a fenced code block.\n", u.Module, u.Module)
	return b.String()
}

func ensureNL(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// feedback is the user message after a round that was not green: why the
// answer was rejected, or what the tests said.
func feedback(u *unit, s *Step) string {
	var b strings.Builder
	switch {
	case s.EditError != "":
		fmt.Fprintf(&b, "Your answer was not applied: %s.\n", s.EditError)
	case s.Test == nil:
		b.WriteString("The tests did not run.\n")
	case s.Test.Error != "":
		fmt.Fprintf(&b, "The tests of %s could not run:\n\n```\n%s\n```\n", u.Module, clip(s.Test.Error, maxFeedback))
	default:
		fmt.Fprintf(&b, "The tests of %s ran: %s.\n", u.Module, s.Test.Summary())
		total := 0
		for _, f := range s.Test.Failures {
			var entry string
			if f.Pending {
				entry = fmt.Sprintf("\n### %s: pending (still raises NotImplementedError): %s\n", f.Test, f.Message)
			} else {
				entry = fmt.Sprintf("\n### %s failed: %s\n\n```\n%s\n```\n", f.Test, firstLine(f.Message), f.Text)
			}
			if total+len(entry) > maxFeedback {
				b.WriteString("\n[... further failures left out ...]\n")
				break
			}
			total += len(entry)
			b.WriteString(entry)
		}
	}
	fmt.Fprintf(&b, "\nFix the implementation. Answer again with the whole file(s) in the required format (\"FILE: %s\" then a fenced code block).\n", u.Module)
	return b.String()
}
