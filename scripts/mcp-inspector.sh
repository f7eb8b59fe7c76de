#!/usr/bin/env bash
# scripts/mcp-inspector.sh: drive repro's MCP server with the official MCP
# Inspector (@modelcontextprotocol/inspector) in CLI mode, over stdio and
# over streamable HTTP: list the tools, then call list_equations and
# get_equation on the example paper. Exits non-zero when anything is wrong.
#
#   scripts/mcp-inspector.sh [REPRO-BINARY]
#
# The inspector is taken from $MCP_INSPECTOR (its mcp-inspector binary),
# else from .ci/npm (where .ci/run installs it), else it is installed there
# with npm. Version 0.15.0 is the last that runs on Node.js 20.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
version=0.15.0

repro=${1:-}
if [ -z "$repro" ]; then
	repro="$root/bin/repro"
	CGO_ENABLED=0 go build -o "$repro" ./cmd/repro
fi
repro=$(cd "$(dirname "$repro")" && pwd)/$(basename "$repro")

inspector=${MCP_INSPECTOR:-$root/.ci/npm/node_modules/.bin/mcp-inspector}
if [ ! -x "$inspector" ]; then
	echo "mcp-inspector.sh: installing @modelcontextprotocol/inspector@$version into .ci/npm" >&2
	npm install --prefix "$root/.ci/npm" --no-audit --no-fund --loglevel=error "@modelcontextprotocol/inspector@$version" >&2
	inspector=$root/.ci/npm/node_modules/.bin/mcp-inspector
fi

example="$root/examples/tinyformer"
work=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# expect FILE JS: evaluates JS with the parsed JSON of FILE as r; fails
# with the message it returns when that is a string.
expect() {
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const msg = ('"$2"')(r);
		if (typeof msg === "string") { console.error("mcp-inspector.sh: " + msg); process.exit(1); }
	' "$1"
}

tools_ok='r => {
	const want = ["fetch_paper", "extract", "list_equations", "get_equation", "plan", "scaffold", "check", "bench_compare"];
	const got = r.tools.map(t => t.name);
	const missing = want.filter(n => !got.includes(n));
	if (missing.length) return "tools missing: " + missing.join(", ");
	for (const t of r.tools) if (!t.inputSchema || !t.outputSchema) return t.name + " has no input or output schema";
	console.log("  " + got.length + " tools, each with input and output schemas: " + got.join(", "));
}'
equation_ok='r => {
	if (r.isError) return "get_equation failed: " + JSON.stringify(r.content);
	const s = r.structuredContent;
	if (!s || s.number !== "3.1" || !String(s.latex).includes("frac")) return "unexpected equation: " + JSON.stringify(s);
	console.log("  get_equation (3.1): " + s.latex.split("\n")[0]);
}'
list_ok='r => {
	const s = r.structuredContent;
	if (r.isError || !s || !Array.isArray(s.equations) || s.equations.length < 20) return "list_equations: " + JSON.stringify(r).slice(0, 300);
	console.log("  list_equations: " + s.equations.length + " equations of \"" + s.title + "\"");
}'
error_ok='r => {
	if (!r.isError) return "a missing paper should be a tool error: " + JSON.stringify(r).slice(0, 300);
	console.log("  a missing paper: tool error: " + r.content[0].text.split("\n")[0]);
}'

run() { # run NAME ARGS...: the inspector with ARGS, its JSON into $work/NAME.json
	local name=$1
	shift
	if ! "$inspector" --cli "$@" >"$work/$name.json" 2>"$work/$name.err"; then
		echo "mcp-inspector.sh: the inspector failed ($name):" >&2
		cat "$work/$name.err" "$work/$name.json" >&2
		exit 1
	fi
}

echo "stdio: $repro mcp"
run list "$repro" mcp --method tools/list
expect "$work/list.json" "$tools_ok"
run eqs "$repro" mcp --method tools/call --tool-name list_equations --tool-arg "source=$example"
expect "$work/eqs.json" "$list_ok"
run eq "$repro" mcp --method tools/call --tool-name get_equation --tool-arg "source=$example" --tool-arg number=3.1
expect "$work/eq.json" "$equation_ok"
run missing "$repro" mcp --method tools/call --tool-name list_equations --tool-arg "source=$work/no-such-paper"
expect "$work/missing.json" "$error_ok"

# Streamable HTTP on a free loopback port.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
"$repro" mcp --http "127.0.0.1:$port" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 50); do
	if node -e 'require("net").connect(process.argv[1], "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(1))' "$port"; then
		break
	fi
	sleep 0.1
done
echo "streamable HTTP: http://127.0.0.1:$port/mcp"
run hlist "http://127.0.0.1:$port/mcp" --transport http --method tools/list
expect "$work/hlist.json" "$tools_ok"
run heq "http://127.0.0.1:$port/mcp" --transport http --method tools/call --tool-name get_equation --tool-arg "source=$example" --tool-arg number=3.1
expect "$work/heq.json" "$equation_ok"

echo "mcp-inspector.sh: ok"
