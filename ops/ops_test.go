package ops

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_test_things_total", Help: "x"})
	reg.MustRegister(c)
	c.Inc()
	var ready atomic.Bool
	s := New(Config{Addr: "127.0.0.1:0"}, reg, func() error {
		if !ready.Load() {
			return errors.New("catching up")
		}
		return nil
	}, slog.New(slog.DiscardHandler))
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + s.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "catching up") {
		t.Fatalf("readyz while not ready: %d %q", code, body)
	}
	ready.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Fatalf("readyz when ready: %d", code)
	}
	if _, body := get("/metrics"); !strings.Contains(body, "sheaf_test_things_total 1") {
		t.Fatalf("metrics missing counter:\n%s", body)
	}
}

func TestConfigCheck(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{{"", true}, {"127.0.0.1:9100", true}, {":9100", true}, {"nonsense", false}} {
		if err := (Config{Addr: tc.addr}).Check(); (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.addr, err)
		}
	}
}

type fakeComponent struct {
	done  chan struct{}
	ready atomic.Bool
}

func (f *fakeComponent) Done() <-chan struct{} { return f.done }
func (f *fakeComponent) Ready() bool           { return f.ready.Load() }

func TestReadiness(t *testing.T) {
	c := &fakeComponent{done: make(chan struct{})}
	check := Readiness("submitter", c)
	if err := check(); err == nil || !strings.Contains(err.Error(), "not active") {
		t.Fatalf("not ready: %v", err)
	}
	c.ready.Store(true)
	if err := check(); err != nil {
		t.Fatalf("ready: %v", err)
	}
	close(c.done)
	if err := check(); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("stopped: %v", err)
	}
	// A component without Ready is ready until it stops.
	plain := struct{ Component }{&fakeComponent{done: make(chan struct{})}}
	if err := Readiness("prover", plain)(); err != nil {
		t.Fatalf("plain: %v", err)
	}
}
