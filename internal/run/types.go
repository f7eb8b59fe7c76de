// Package run runs a generated project's command where the compute is: on
// this machine, on a server over SSH, on a Slurm cluster, or on Colab. It
// sends the project, starts the command detached, streams its log, brings
// results/ back, and records every run in runs/<id>/run.json so that a
// dropped connection or a closed terminal can be reattached with
// repro run --resume ID.
package run

import (
	"context"
	"io"
	"time"
)

// Statuses of a run.
const (
	StatusStarting  = "starting" // the project is being sent
	StatusQueued    = "queued"   // submitted, waiting for resources (Slurm)
	StatusRunning   = "running"
	StatusSucceeded = "succeeded" // exit code 0
	StatusFailed    = "failed"    // non-zero exit code, or the scheduler says so
	StatusCancelled = "cancelled"
	StatusLost      = "lost" // the run cannot be found any more
)

// Spec is what to run.
type Spec struct {
	// Project is the local project root (holding .repro/project.json).
	Project string
	// Command is the command line to run in the project's root.
	Command []string
	// Config is the config file given with --config, relative to the
	// project ("configs/paper.yaml"); its hash is recorded.
	Config string
	// Python is the interpreter (local runs; remote runs use python3 on
	// the host unless set).
	Python    string
	GPUs      int
	Time      string // HH:MM:SS, for Slurm
	Partition string
	// Seeds, when set, make a Slurm job array (one task per seed, SEED in
	// the environment).
	Seeds []int
	Env   map[string]string
}

// Record is a run as recorded in runs/<id>/run.json.
type Record struct {
	ID      string   `json:"id"`     // "20261126-135501-a1b2"
	Engine  string   `json:"engine"` // local, ssh, slurm, colab
	Target  string   `json:"target"` // the --on value as given
	Host    string   `json:"host,omitempty"`
	Command []string `json:"command"`
	// Commit is the project's git commit (with "-dirty" when it has
	// uncommitted changes), "" outside git.
	Commit     string `json:"commit,omitempty"`
	Config     string `json:"config,omitempty"`
	ConfigHash string `json:"config_hash,omitempty"` // sha256 of the config file
	Status     string `json:"status"`
	ExitCode   *int   `json:"exit_code,omitempty"`
	// SSHOptions are the extra ssh options the run was started with
	// ($REPRO_SSH_OPTIONS and --ssh-option), which a resume uses after its
	// own.
	SSHOptions []string `json:"ssh_options,omitempty"`
	// RemoteDir is the project's copy on the host (ssh, slurm).
	RemoteDir string `json:"remote_dir,omitempty"`
	// JobID is the scheduler's job (Slurm) or the detached process (ssh,
	// local: its pid).
	JobID string `json:"job_id,omitempty"`
	// LogOffset is how many bytes of the log were already copied into
	// runs/<id>/output.log, so that a reattach continues where it stopped.
	LogOffset int64     `json:"log_offset"`
	Created   time.Time `json:"created"`
	Started   time.Time `json:"started,omitzero"`
	Ended     time.Time `json:"ended,omitzero"`
	// Results are the files brought back, relative to the project.
	Results []string `json:"results,omitempty"`
	Error   string   `json:"error,omitempty"`
	// Spec is the run's spec, for --resume.
	Spec Spec `json:"spec"`
}

// Engine is one place to run.
type Engine interface {
	// Name is "local", "ssh", "slurm" or "colab".
	Name() string
	// Start sends the project and starts the command detached; it fills
	// rec (RemoteDir, JobID, Status, Started) and returns once the run is
	// started or queued.
	Start(ctx context.Context, spec *Spec, rec *Record) error
	// Follow copies the log from rec.LogOffset on to w, advancing
	// rec.LogOffset, until the run ends (it then sets Status, ExitCode
	// and Ended) or ctx is done. A Follow after a dropped connection or a
	// new process continues where the last one stopped.
	Follow(ctx context.Context, rec *Record, w io.Writer) error
	// Fetch brings the run's results/ (and checkpoints/) back into the
	// project, listing the files in rec.Results.
	Fetch(ctx context.Context, rec *Record) error
}
