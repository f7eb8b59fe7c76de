package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reprohq/repro/internal/llm/llmtest"
	"github.com/reprohq/repro/internal/testenv"
)

// refProject scaffolds the example project and returns it with the right
// implementation of (C.1) and a function making the model's answer for an
// implementation: the module's whole file, as the agent's format asks.
func refProject(t *testing.T) (dir, right string, answer func(expr string) string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "tf")
	if code, out, errOut := runRepro(t, "scaffold", "--no-git", "--out", dir, "../../examples/tinyformer"); code != 0 {
		t.Fatalf("scaffold: exit %d\n%s%s", code, out, errOut)
	}
	const module = "src/tinyformer/reference_implementation.py"
	const raise = `    raise NotImplementedError("eq_c_1_params: equation (C.1) is not implemented yet")`
	src, err := os.ReadFile(filepath.Join(dir, module))
	if err != nil || !strings.Contains(string(src), raise) {
		t.Fatalf("no stub in %s: %v", module, err)
	}
	right = "(V + T_max) @ d + L @ (4 * d**2 + 2 * d * d_ff + d_ff + 11 * d + 1) + 2 * d + (d + 1) @ C"
	answer = func(expr string) string {
		return "FILE: " + module + "\n```python\n" + strings.Replace(string(src), raise, "    return "+expr, 1) + "```\n"
	}
	return dir, right, answer
}

// flipped is the wrong implementation: the sign of the 2d term flipped.
func flipped(right string) string { return strings.Replace(right, "+ 2 * d", "- 2 * d", 1) }

// TestImplementOpenAI runs repro implement on the example project against a
// real HTTP server on 127.0.0.1 speaking OpenAI's chat completions, through
// the official SDK: the first answer implements (C.1) with a sign flipped,
// the real pytest failure goes back in the second request, the second
// answer is right and the module is green; the cost report follows the
// scripted token counts; a second run asks nothing.
func TestImplementOpenAI(t *testing.T) {
	py := testenv.Python(t, "pytest", "torch", "numpy", "yaml")
	dir, right, answer := refProject(t)
	wrong := flipped(right)
	srv := llmtest.NewOpenAI(t)
	srv.Reply(llmtest.Text("Here it is.\n\n"+answer(wrong), 5000, 800), llmtest.Text(answer(right), 7000, 900))
	prices := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(prices, []byte(`{"models": {"scripted-model": {"input": 2.0, "output": 10.0}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OPENAI_API_KEY", "sk-test-secret-key-0123456789")
	args := []string{"implement", "--model", "scripted-model", "--base-url", srv.URL + "/v1", "--prices", prices,
		"--module", "reference_implementation", "--rounds", "2", "--python", py, dir}
	code, out, errOut := runRepro(t, args...)
	if code != 0 {
		t.Fatalf("implement: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("repro implement:\n%s", out)
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if !strings.Contains(string(reqs[1].Body), "test_oracle") {
		t.Errorf("the second request does not carry the pytest failure:\n%.2000s", reqs[1].Body)
	}
	// 12000 input and 1700 output tokens at $2 and $10 per million.
	if !strings.Contains(out, "0.041") {
		t.Errorf("cost report (want $0.041):\n%s", out)
	}
	if strings.Contains(out+errOut, "sk-test-secret") {
		t.Error("the API key was printed")
	}
	if !strings.Contains(out, "green") {
		t.Errorf("report:\n%s", out)
	}
	// Run again, the model configured by the project's repro.yaml instead
	// of flags: everything is checkpointed, the model is not asked.
	yml := "version: 1\nsettings:\n  llm:\n    model: scripted-model\n    base_url: " + srv.URL + "/v1\n    prices: prices.json\n"
	if err := os.WriteFile(filepath.Join(dir, "repro.yaml"), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(prices, filepath.Join(dir, "prices.json")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runRepro(t, "implement", "--module", "reference_implementation", "--rounds", "2", "--python", py, dir)
	if code != 0 || len(srv.Requests()) != 2 {
		t.Errorf("second run: exit %d, %d requests in all\n%s%s", code, len(srv.Requests()), out, errOut)
	}
}

// TestImplementAnthropicResume: the same loop against Anthropic's messages
// API (streamed), stopped by --max-tokens after the first answer (exit 4),
// then resumed with a larger budget: only the second answer is asked for.
func TestImplementAnthropicResume(t *testing.T) {
	py := testenv.Python(t, "pytest", "torch", "numpy", "yaml")
	dir, right, answer := refProject(t)
	srv := llmtest.NewAnthropic(t)
	srv.Reply(llmtest.Text(answer(flipped(right)), 5000, 800), llmtest.Text(answer(right), 7000, 900))
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-test-secret")
	base := []string{"implement", "--model", "anthropic:claude-test", "--base-url", srv.URL,
		"--module", "reference_implementation", "--rounds", "3", "--python", py}
	code, out, errOut := runRepro(t, append(base, "--max-tokens", "5000", dir)...)
	if code != ExitFailed || srv.Count() != 1 || !strings.Contains(errOut, "budget") {
		t.Fatalf("budget stop: exit %d, %d requests\n%s%s", code, srv.Count(), out, errOut)
	}
	code, out, errOut = runRepro(t, append(base, "--max-tokens", "100000", dir)...)
	if code != 0 || srv.Count() != 2 {
		t.Fatalf("resume: exit %d, %d requests in all (want 2)\n%s%s", code, srv.Count(), out, errOut)
	}
	if !strings.Contains(out, "green") || strings.Contains(out+errOut, "sk-ant-test-secret") {
		t.Errorf("resume report:\n%s", out)
	}
}

// TestExtractLLM: repro extract --llm against a real HTTP server speaking
// OpenAI's wire format: an answer that invents an equation and a
// hyperparameter gets both dropped, each with a warning; what the paper
// supports is kept in the JSON's "llm" field and the Markdown.
func TestExtractLLM(t *testing.T) {
	const answer = `{
  "contribution": "A gated residual attention block.",
  "architecture": "Pre-norm blocks with a gated attention sublayer.",
  "equations": [
    {"number": "9.9", "variables": [{"symbol": "Z", "meaning": "made up", "type": "matrix", "shape": "[B,S,D]"}]},
    {"number": "3.1", "variables": [{"symbol": "Q", "meaning": "queries", "type": "matrix", "shape": "[T,d_k]"}]}
  ],
  "hyperparameters": [
    {"name": "learning rate", "value": "0.123", "quote": "We use a learning rate of 0.123 for all runs.", "section": "4"}
  ],
  "ambiguities": []
}`
	srv := llmtest.NewOpenAI(t)
	srv.Default(llmtest.Text(answer, 3000, 200))
	t.Setenv("OPENAI_API_KEY", "sk-test-secret-key-0123456789")
	code, out, errOut := runRepro(t, "extract", "--llm", "--model", "gpt-4.1-mini", "--base-url", srv.URL+"/v1", "--format", "json", "../../examples/tinyformer")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"dropped", "(9.9)", "0.123"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	var got struct {
		LLM *struct {
			Contribution string `json:"contribution"`
			Equations    []struct {
				Number string `json:"number"`
			} `json:"equations"`
			Hyperparameters []struct {
				Name string `json:"name"`
			} `json:"hyperparameters"`
		} `json:"llm"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if got.LLM == nil || got.Title == "" || got.LLM.Contribution == "" || len(got.LLM.Equations) != 1 || got.LLM.Equations[0].Number != "3.1" || len(got.LLM.Hyperparameters) != 0 {
		t.Errorf("llm field: %+v", got.LLM)
	}
	if strings.Contains(out+errOut, "sk-test-secret") || srv.Count() == 0 {
		t.Errorf("key printed, or no request (%d)", srv.Count())
	}
	code, out, _ = runRepro(t, "extract", "--llm", "--model", "gpt-4.1-mini", "--base-url", srv.URL+"/v1", "../../examples/tinyformer")
	if code != 0 || !strings.Contains(out, "Notes from the language model") {
		t.Errorf("Markdown: exit %d", code)
	}
}

// TestNewLLM: repro new --llm appends the checked notes to each paper's
// context document.
func TestNewLLM(t *testing.T) {
	srv := llmtest.NewOpenAI(t)
	srv.Default(llmtest.Text(`{"contribution": "A gated residual attention block.", "architecture": "", "equations": [{"number": "9.9", "variables": []}], "hyperparameters": [], "ambiguities": []}`, 1000, 100))
	dir := filepath.Join(t.TempDir(), "ws")
	code, out, errOut := runRepro(t, "new", "--no-scaffold", "--llm", "--model", "local-model", "--base-url", srv.URL+"/v1", "--dir", dir, "../../examples/tinyformer")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	md, err := os.ReadFile(filepath.Join(dir, "papers", "tinyformer.context.md"))
	if err != nil || !strings.Contains(string(md), "Notes from the language model") || !strings.Contains(string(md), "gated residual attention block") {
		t.Errorf("context document without the notes: %v", err)
	}
	if !strings.Contains(errOut, "(9.9)") || !strings.Contains(errOut, "repro: llm:") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// TestImplementKilled kills repro implement (SIGKILL, a separate process)
// while it waits for the model's second answer, after the first answer was
// applied and tested; the run started again asks the model only for what
// it had not answered: one request, not two.
func TestImplementKilled(t *testing.T) {
	py := testenv.Python(t, "pytest", "torch", "numpy", "yaml")
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test executable:", err)
	}
	// TestMain runs the CLI when the program is called "repro".
	bin := filepath.Join(t.TempDir(), "repro")
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip("no symlinks:", err)
	}
	dir, right, answer := refProject(t)
	srv := llmtest.NewOpenAI(t)
	srv.Reply(llmtest.Text(answer(flipped(right)), 5000, 800), llmtest.Stall(time.Minute))
	args := []string{"implement", "--model", "local-model", "--base-url", srv.URL, "--module", "reference_implementation", "--rounds", "3", "--python", py, dir}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "OPENAI_API_KEY=")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for srv.Count() < 2 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the second request never came:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	srv.Reply(llmtest.Text(answer(right), 7000, 900))
	code, stdout, errOut := runRepro(t, args...)
	if code != 0 {
		t.Fatalf("resumed run: exit %d\n%s%s", code, stdout, errOut)
	}
	if n := srv.Count(); n != 3 {
		t.Errorf("%d requests in all, want 3: the first answer was asked for again", n)
	}
	if !strings.Contains(stdout, "green") {
		t.Errorf("resumed report:\n%s", stdout)
	}
}
