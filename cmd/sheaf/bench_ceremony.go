package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits/ceremony"
	"github.com/sheafrollup/sheaf/protocol"
)

// ceremonyBench is what `sheaf bench ceremony` prints. Each step is the
// real `sheaf ceremony` command run as a child process, so its time and
// peak memory are what an operator sees (circuit compilation included).
type ceremonyBench struct {
	Circuit                string          `json:"circuit"` // batch or exit
	Config                 protocol.Config `json:"config"`
	Constraints            int             `json:"constraints"`
	Domain                 uint64          `json:"domain"`
	CompileSeconds         float64         `json:"compile_seconds"` // part of init and verify
	Phase1Bytes            int64           `json:"phase1_bytes"`
	InitSeconds            float64         `json:"init_seconds"`     // test-only phase 1 + phase-2 evaluation
	InitCPUSeconds         float64         `json:"init_cpu_seconds"` // user + system, all threads: what a busy machine does not inflate
	InitPeakRSSBytes       int64           `json:"init_peak_rss_bytes"`
	ContributeSeconds      float64         `json:"contribute_seconds"`
	ContributeCPUSeconds   float64         `json:"contribute_cpu_seconds"`
	ContributePeakRSSBytes int64           `json:"contribute_peak_rss_bytes"`
	VerifySeconds          float64         `json:"verify_seconds"` // independent: phase-2 evaluation again + the chain
	VerifyCPUSeconds       float64         `json:"verify_cpu_seconds"`
	VerifyPeakRSSBytes     int64           `json:"verify_peak_rss_bytes"`
	FileBytes              int64           `json:"file_bytes"` // one contribution file
	PeakRSSBytes           int64           `json:"peak_rss_bytes"`
}

func benchCeremonyCommand() *cli.Command {
	return &cli.Command{
		Name: "ceremony",
		Usage: "time and memory of `sheaf ceremony` init, one contribution and an independent verify for a circuit " +
			"(test-only phase 1; each step a child process)",
		Flags: append(circuitFlags(protocol.Config{Depth: 24, Transfers: 1}), circuitKindFlag()),
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			cfg, err := circuitConfig(c)
			if err != nil {
				return err
			}
			self, err := os.Executable()
			if err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "sheaf-bench-ceremony-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			dir := filepath.Join(tmp, "ceremony")

			kind := ceremonyKind(c)
			start := time.Now()
			circ, err := compileCeremonyCircuit(cfg, kind)
			if err != nil {
				return err
			}
			r := &ceremonyBench{Circuit: c.String("circuit.kind"), Config: circ.Config}
			r.CompileSeconds = time.Since(start).Seconds()
			r.Constraints, r.Domain = circ.R1CS.GetNbConstraints(), circ.Domain()
			circ = nil // the children compile their own

			circuit := append(circuitArgs(cfg), "--circuit.kind", c.String("circuit.kind"))
			// step runs one child and returns its wall and CPU seconds and
			// peak RSS.
			step := func(name string, args ...string) (float64, float64, int64, error) {
				log.Info("running", "step", name, "constraints", r.Constraints, "domain", r.Domain)
				cmd := exec.CommandContext(c.Context, self, append([]string{"--log.level", c.String("log.level")}, args...)...)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, os.Stderr
				t0 := time.Now()
				if err := cmd.Run(); err != nil {
					return 0, 0, 0, fmt.Errorf("%s: %w\n%s", name, err, out.String())
				}
				secs := time.Since(t0).Seconds()
				var rss int64
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					rss = ru.Maxrss * 1024 // Linux reports KiB
				}
				cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
				log.Info("done", "step", name, "seconds", secs, "cpu_seconds", cpu, "peak_rss_bytes", rss)
				return secs, cpu, rss, nil
			}
			if r.InitSeconds, r.InitCPUSeconds, r.InitPeakRSSBytes, err = step("init", append([]string{"ceremony", "init", "--insecure-phase1", "--ceremony.dir", dir}, circuit...)...); err != nil {
				return err
			}
			if r.ContributeSeconds, r.ContributeCPUSeconds, r.ContributePeakRSSBytes, err = step("contribute", "ceremony", "contribute", "--ceremony.dir", dir); err != nil {
				return err
			}
			if r.VerifySeconds, r.VerifyCPUSeconds, r.VerifyPeakRSSBytes, err = step("verify", "ceremony", "verify", "--ceremony.dir", dir); err != nil {
				return err
			}
			for _, f := range []struct {
				name string
				n    *int64
			}{{ceremony.Phase1File, &r.Phase1Bytes}, {ceremony.Phase2File(1), &r.FileBytes}} {
				st, err := os.Stat(filepath.Join(dir, f.name))
				if err != nil {
					return err
				}
				*f.n = st.Size()
			}
			r.PeakRSSBytes = max(r.InitPeakRSSBytes, r.ContributePeakRSSBytes, r.VerifyPeakRSSBytes)
			return printJSON(c.App.Writer, r, true)
		},
	}
}
