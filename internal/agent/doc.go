// Package agent is repro's implementation agent (repro implement): it has
// a language model write the stubs of a generated project, module by
// module, until the module's tests pass.
//
// # Units of work
//
// A unit is a module src/<pkg>/<mod>.py with the equations and algorithms
// that .repro/project.json puts in it. Its prompt holds the module's
// current source, its test files (those of its items that exist), the
// oracle functions the tests import from tests/oracles*.py (extracted by
// name), tests/helpers.py, and the sections of papers/<paper>.context.md
// about its items ("### Equation (C.1)", "### Algorithm B.1: ..."). Every
// part is bounded in size (see the max* constants) and cut on a line.
//
// Units run in the order of the components table of IMPLEMENTATION_PLAN.md
// (foundations first), else the manifest's. A unit waits for the units it
// depends on — those the plan's "uses" column names, and those its tests
// and source import — when they come earlier in that order (a later one is
// ignored, so there is no cycle); independent units run in parallel,
// Options.Parallel at a time. Options.Modules restricts the run to some
// modules ("optimization_details", "tinyformer.optimization_details" or
// the path).
//
// # The answer format
//
// The model answers with whole-file replacements: a line "FILE: <path>"
// followed by a fenced code block (``` or ~~~, longer fences allowed so
// that the content may hold a fence) with the file's whole content. Prose
// around the blocks, fenced blocks without a FILE line, Markdown decoration
// of the FILE line ("### File: `src/p/m.py`") and CRLF are tolerated. An
// answer is applied entirely or not at all: it is refused, and the reason
// goes back to the model as that round's feedback, when it has no file, a
// block is not closed or empty, a path appears twice, a path is absolute,
// holds "..", a backslash or NUL, lies outside src/ (src/ and tests/ with
// AllowTestEdits) or in .git, .repro or __pycache__, when it names another
// unit's module (parallel units must not write each other's files), or
// when a path runs through a symbolic link or a non-folder. Files are
// written atomically (temporary file and rename); the first time the agent
// touches a file its original is copied to .repro/agent/backup/<path>.
//
// # The loop
//
// Round 1 asks with the first prompt; after each round the unit's tests run
// for real (python -m pytest -q -p no:cacheprovider --junitxml=<own path>
// <test files>, with PYTHONDONTWRITEBYTECODE=1 and a clean environment) and
// their JUnit report is read with check.ParseJUnit. The unit is green when
// at least one test passed and none failed or is pending (still raising
// NotImplementedError). Otherwise the next request is the same conversation
// plus the model's answer and a feedback message: each failing test with
// its message and the end of its traceback (trimmed), the pending ones, or
// why the answer was refused. At most Options.Rounds rounds; the last
// answer stays in the file (the original is in the backup). A module whose
// source holds no "raise NotImplementedError" when it is first met has its
// tests run first and is skipped when they pass ("already green").
//
// # Checkpoints and resume
//
// Everything lives under <project>/.repro/agent:
//
//	steps/<pkg>.<mod>/start.json      the first request, written before the first call
//	steps/<pkg>.<mod>/round-NN.json   one step: request hash, answer, usage, cost,
//	                                  edits (path, sha256), test result
//	transcripts/<pkg>.<mod>.md        prompt and answer of every round (rebuilt from the steps)
//	backup/<path>                     the originals of the files the agent wrote
//	report.json                       the last run's report
//
// A step is written (atomically) twice: phase "answered" as soon as the
// model answers, phase "tested" once the edits are applied and the tests
// ran. Every request derives from start.json and the earlier steps, so a
// resumed run rebuilds exactly the request of each round; when its hash
// matches the checkpoint, the answer is replayed instead of asked again
// (a "tested" step is not even re-tested; an "answered" one has its edits
// applied and its tests run). A hash that differs (the prompts of another
// repro) drops that step and the later ones. A unit whose last step is
// green is therefore done without a call; one whose rounds ran out
// continues when run again with more rounds.
//
// # Budget and cost
//
// When a call fails with an error wrapping llm.ErrBudget, no new call is
// made by any unit (units finish the step at hand and replay what their
// checkpoints hold), the report says "stopped: budget", and Implement
// returns the report with an error wrapping ErrStopped and llm.ErrBudget.
// A cancelled context stops the same way with ctx's error. Other model
// errors mark their unit "error" and the run goes on. The report gives per
// module the rounds, status, last test result, tokens and cost (all the
// rounds, replayed ones included) and this run's share, and in total by
// stage.
package agent
