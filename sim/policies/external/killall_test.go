package external_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/policies/external"
)

// TestKillAllEndsAWait: a Decide waiting on a policy that never answers,
// with an hour's timeout, returns ErrExited promptly once KillAll runs
// (what a SIGINT does in cmd/clustersim), and the policy's child is gone
// too (issue 11: "only SIGKILL stopped it and orphaned the policy").
func TestKillAllEndsAWait(t *testing.T) {
	needSh(t)
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("no /proc")
	}
	dir := t.TempDir()
	p := newPolicy(t, external.Config{Dir: dir, Timeout: time.Hour,
		Command: []string{"sh", "-c", "sleep 1000 & echo $! > child.pid; read l; touch asked; sleep 1000"}})
	done := make(chan error, 1)
	go func() {
		_, err := p.Decide(autoscale.Observation{Current: 1})
		done <- err
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(dir, "asked")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the policy never read its request")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	external.KillAll()
	select {
	case err := <-done:
		if !errors.Is(err, external.ErrExited) {
			t.Errorf("Decide: %v, want ErrExited", err)
		}
		t.Logf("Decide returned %v after KillAll", time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("Decide still waiting 5 s after KillAll")
	}
	waitGone(t, filepath.Join(dir, "child.pid"))
}
