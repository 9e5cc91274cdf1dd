package bench

import (
	"os"
	"runtime"
	"testing"
)

// TestProcStat: the parsed fields are this process's (parent pid), and
// clusterCPU, pointed at this process, counts CPU it spends.
func TestProcStat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	f, err := procStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if f[1] != int64(os.Getppid()) {
		t.Fatalf("parent pid %d, want %d", f[1], os.Getppid())
	}
	c0, err := clusterCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x := 0
	for c, err := clusterCPU(os.Getpid()); c <= c0+2*clockTick; c, err = clusterCPU(os.Getpid()) {
		if err != nil {
			t.Fatal(err)
		}
		for i := range 1_000_000 {
			x += i * i
		}
	}
	_ = x
	if _, err := procStat(-1); err == nil {
		t.Error("no error for a process that cannot exist")
	}
}
