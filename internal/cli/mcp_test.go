package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPCommand starts "repro mcp" as a separate process and drives it
// over stdio with the go-sdk's own client: the eight tools are listed and
// list_equations answers for the example paper.
func TestMCPCommand(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test executable:", err)
	}
	bin := filepath.Join(t.TempDir(), "repro") // TestMain runs the CLI under this name
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip("no symlinks:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "repro-test", Version: "v0"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: exec.Command(bin, "mcp", "--offline")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	tools, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if len(names) != 8 {
		t.Errorf("tools %v, want 8", names)
	}
	example, err := filepath.Abs("../../examples/tinyformer")
	if err != nil {
		t.Fatal(err)
	}
	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "list_equations", Arguments: map[string]any{"source": example}})
	if err != nil || res.IsError {
		t.Fatalf("list_equations: %v %+v", err, res)
	}
	if out, ok := res.StructuredContent.(map[string]any); !ok || len(out["equations"].([]any)) < 24 {
		t.Errorf("list_equations: %v", res.StructuredContent)
	}
	// A failing tool is a tool error; the server goes on.
	res, err = session.CallTool(ctx, &mcp.CallToolParams{Name: "get_equation", Arguments: map[string]any{"source": example, "number": "99.9"}})
	if err != nil || !res.IsError {
		t.Errorf("unknown equation: %v %+v", err, res)
	}
	res, err = session.CallTool(ctx, &mcp.CallToolParams{Name: "fetch_paper", Arguments: map[string]any{"ref": "2501.00663"}})
	if err != nil || !res.IsError || !strings.Contains(toolText(res), "offline") {
		t.Errorf("fetch_paper offline: %v %s", err, toolText(res))
	}
}

func toolText(res *mcp.CallToolResult) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// TestMCPInspector runs scripts/mcp-inspector.sh: the official MCP
// Inspector in CLI mode lists repro's tools and calls them, over stdio and
// streamable HTTP. It needs the inspector installed (.ci/run installs it
// into .ci/npm; or set MCP_INSPECTOR) and Node.js.
func TestMCPInspector(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no Node.js: the MCP Inspector runs on it")
	}
	inspector := os.Getenv("MCP_INSPECTOR")
	if inspector == "" {
		inspector, _ = filepath.Abs(filepath.Join("..", "..", ".ci", "npm", "node_modules", ".bin", "mcp-inspector"))
	}
	if _, err := os.Stat(inspector); err != nil {
		t.Skipf("no MCP Inspector at %s: run .ci/run, or npm install --prefix .ci/npm @modelcontextprotocol/inspector@0.15.0, or set MCP_INSPECTOR", inspector)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test executable:", err)
	}
	bin := filepath.Join(t.TempDir(), "repro") // TestMain runs the CLI under this name
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip("no symlinks:", err)
	}
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "mcp-inspector.sh"), bin)
	cmd.Env = append(os.Environ(), "MCP_INSPECTOR="+inspector)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("scripts/mcp-inspector.sh: %v", err)
	}
	for _, want := range []string{"8 tools, each with input and output schemas", "get_equation (3.1)", "streamable HTTP", "tool error", "mcp-inspector.sh: ok"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the script's output lacks %q", want)
		}
	}
}
