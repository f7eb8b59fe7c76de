package scaffold

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitIdentity is the author of the first commit when git has none
// configured.
var gitIdentity = []string{"-c", "user.name=repro", "-c", "user.email=repro@localhost"}

// initGit puts a new project under version control: git init and a first
// commit of everything generated. A project that already is (or is inside)
// a git work tree is left to its owner: nothing is committed for them. It
// returns the note for Result.GitNote.
func initGit(ctx context.Context, dir string, changed int, version string) (string, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return "git is not installed: the project was not put under version control (run git init && git add -A && git commit when it is)", nil
	}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return out.String(), fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
		}
		return out.String(), nil
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		if changed == 0 {
			return "git: nothing changed, nothing to commit", nil
		}
		return fmt.Sprintf("git: %d files written in the existing repository; review and commit them yourself (git status)", changed), nil
	}
	if top, err := run("rev-parse", "--show-toplevel"); err == nil && strings.TrimSpace(top) != "" {
		return "git: the project is inside the git work tree " + strings.TrimSpace(top) + "; no repository was created and nothing was committed", nil
	}
	if _, err := run("-c", "init.defaultBranch=main", "init", "-q"); err != nil {
		return "", err
	}
	if _, err := run("add", "-A"); err != nil {
		return "", err
	}
	args := []string{"-c", "commit.gpgsign=false"}
	name, _ := run("config", "user.name")
	email, _ := run("config", "user.email")
	if strings.TrimSpace(name) == "" || strings.TrimSpace(email) == "" {
		args = append(args, gitIdentity...)
	}
	msg := "Scaffold the reproduction project"
	if version != "" {
		msg += " (repro " + version + ")"
	}
	args = append(args, "commit", "-q", "--no-verify", "-m", msg)
	if _, err := run(args...); err != nil {
		return "", err
	}
	return "git: initialised the repository with a first commit", nil
}
