// Package slurmtest starts a real single-node Slurm cluster for a test:
// its own munged, slurmctld and slurmd, with every file in a temporary
// folder, no cgroups, no accounting, on free ports, so that it neither
// needs nor touches a system configuration. It needs Debian's slurm-wlm
// and munge packages and root (slurmd runs jobs as their user); without
// them the test is skipped with the reason.
//
// The Debian packages try to start their own munge and slurmd services
// through systemd when they are installed; without systemd (containers)
// those are not running, and with it they are left alone: this cluster
// uses its own socket, ports, spool and state folders.
package slurmtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Cluster is a running single-node cluster.
type Cluster struct {
	Dir  string // the temporary folder holding everything
	Conf string // slurm.conf; SLURM_CONF is set to it for the test
	Node string // the node's name
	// Env is the environment the Slurm clients need (SLURM_CONF=...).
	Env []string

	procs []*exec.Cmd
}

// Binaries the cluster needs.
var binaries = []string{"munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel", "scontrol"}

// Available reports why a cluster cannot be started here, or "".
func Available() string {
	if runtime.GOOS != "linux" {
		return "Slurm tests run on Linux only"
	}
	for _, b := range binaries {
		if _, err := exec.LookPath(b); err != nil {
			// The daemons are in /usr/sbin, which a non-root PATH may lack.
			if _, err := os.Stat(filepath.Join("/usr/sbin", b)); err != nil {
				return b + " not found (apt-get install slurm-wlm munge)"
			}
		}
	}
	if os.Geteuid() != 0 {
		return "a test Slurm cluster needs root (slurmd runs the jobs as their user)"
	}
	return ""
}

func lookPath(b string) string {
	if p, err := exec.LookPath(b); err == nil {
		return p
	}
	return filepath.Join("/usr/sbin", b)
}

// Start starts a cluster, sets SLURM_CONF for the test (so the test may
// not be parallel) and stops everything when the test ends, failed or
// not. It skips the test when Slurm, munge or root is missing.
func Start(t testing.TB) *Cluster {
	t.Helper()
	if why := Available(); why != "" {
		t.Skip("slurm: " + why)
	}
	// A short path: the munge socket's path must fit in sun_path.
	dir, err := os.MkdirTemp("", "repro-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &Cluster{Dir: dir}
	t.Cleanup(func() { c.stop(t) })
	if err := c.start(t); err != nil {
		c.dumpLogs(t)
		t.Fatalf("slurm: %v", err)
	}
	t.Setenv("SLURM_CONF", c.Conf)
	return c
}

func (c *Cluster) start(t testing.TB) error {
	d := c.Dir
	// munged insists that every folder above its socket be searchable by
	// everyone, and that the key be readable by its owner only.
	for _, sub := range []string{"munge", "spool", "state", "log", "jobs"} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
			return err
		}
	}
	if err := os.Chmod(d, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(d, "key"), 0o700); err != nil {
		return err
	}
	key := make([]byte, 1024)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	keyFile := filepath.Join(d, "key", "munge.key")
	if err := os.WriteFile(keyFile, key, 0o400); err != nil {
		return err
	}
	sock := filepath.Join(d, "munge", "munge.socket")
	if err := c.spawn("munged", lookPath("munged"), "--foreground", "--force",
		"--key-file="+keyFile, "--socket="+sock,
		"--pid-file="+filepath.Join(d, "munge", "munged.pid"),
		"--log-file="+filepath.Join(d, "log", "munged.log"),
		"--seed-file="+filepath.Join(d, "munge", "munged.seed")); err != nil {
		return err
	}
	if err := waitFor(10*time.Second, func() bool { _, err := os.Stat(sock); return err == nil }); err != nil {
		return fmt.Errorf("munged did not create its socket: %w", err)
	}

	node, err := os.Hostname()
	if err != nil {
		return err
	}
	node, _, _ = strings.Cut(node, ".")
	c.Node = node
	ctldPort, err := freePort()
	if err != nil {
		return err
	}
	dPort, err := freePort()
	if err != nil {
		return err
	}
	cpus := runtime.NumCPU()
	conf := fmt.Sprintf(`# A single-node test cluster written by internal/run/slurmtest.
ClusterName=repro-test
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[2]s/munge/munge.socket
StateSaveLocation=%[2]s/state
SlurmdSpoolDir=%[2]s/spool
SlurmctldPidFile=%[2]s/slurmctld.pid
SlurmdPidFile=%[2]s/slurmd.pid
SlurmctldLogFile=%[2]s/log/slurmctld.log
SlurmdLogFile=%[2]s/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=%[5]d RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`, node, d, ctldPort, dPort, cpus)
	c.Conf = filepath.Join(d, "slurm.conf")
	if err := os.WriteFile(c.Conf, []byte(conf), 0o644); err != nil {
		return err
	}
	c.Env = []string{"SLURM_CONF=" + c.Conf}
	if err := c.spawn("slurmctld", lookPath("slurmctld"), "-D", "-i", "-f", c.Conf); err != nil {
		return err
	}
	if err := c.spawn("slurmd", lookPath("slurmd"), "-D", "-f", c.Conf); err != nil {
		return err
	}
	var last string
	err = waitFor(60*time.Second, func() bool {
		out, _ := c.command("sinfo", "-h", "-N", "-o", "%T").CombinedOutput()
		last = strings.TrimSpace(string(out))
		return last == "idle"
	})
	if err != nil {
		return fmt.Errorf("the node is not idle after 60s (sinfo: %q)", last)
	}
	t.Logf("slurm: cluster up in %s (node %s, %d CPUs)", d, node, cpus)
	return nil
}

// command is a Slurm client command for this cluster.
func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(lookPath(name), args...)
	cmd.Env = append(os.Environ(), c.Env...)
	return cmd
}

// Run runs a Slurm client command against the cluster and returns its
// combined output.
func (c *Cluster) Run(name string, args ...string) (string, error) {
	out, err := c.command(name, args...).CombinedOutput()
	return string(out), err
}

func (c *Cluster) spawn(name, bin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), c.Env...)
	out, err := os.Create(filepath.Join(c.Dir, "log", name+".out"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that stopping it stops what it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	go func() { _ = cmd.Wait(); out.Close() }()
	c.procs = append(c.procs, cmd)
	return nil
}

// stop cancels the jobs still there and stops the daemons in reverse
// order: SIGTERM to each process group, SIGKILL after 10s.
func (c *Cluster) stop(t testing.TB) {
	if t.Failed() {
		c.dumpLogs(t)
	}
	if c.Conf != "" && len(c.procs) >= 3 {
		_, _ = c.Run("scancel", "--full", "--partition=debug")
		_ = waitFor(15*time.Second, func() bool {
			out, err := c.Run("squeue", "-h")
			return err != nil || strings.TrimSpace(out) == ""
		})
	}
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		if p.Process == nil {
			continue
		}
		pgid := p.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		if waitFor(10*time.Second, func() bool { return syscall.Kill(-pgid, 0) != nil }) != nil {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			_ = waitFor(5*time.Second, func() bool { return syscall.Kill(-pgid, 0) != nil })
		}
	}
	c.procs = nil
}

// dumpLogs logs the end of each daemon's log.
func (c *Cluster) dumpLogs(t testing.TB) {
	logs, _ := filepath.Glob(filepath.Join(c.Dir, "log", "*"))
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil || len(data) == 0 {
			continue
		}
		if len(data) > 4000 {
			data = data[len(data)-4000:]
		}
		t.Logf("--- %s ---\n%s", filepath.Base(l), bytes.TrimSpace(data))
	}
}

func waitFor(d time.Duration, ok func() bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for {
		if ok() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// freePort is a TCP port free now on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	return strconv.Atoi(p)
}
