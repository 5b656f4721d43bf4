package external_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/policies/external"
)

// waitGone fails unless the process whose pid is in file is gone (or a
// zombie) within two seconds.
func waitGone(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	deadline := time.Now().Add(2 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		s := string(stat)
		if err != nil || strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0] == "Z" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %s outlived the policy: %s", pid, stat)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNothingOutlivesThePolicy: what a policy starts dies with it, even
// when the policy exits on its own first and when the child left the
// process group (issue 11).
func TestNothingOutlivesThePolicy(t *testing.T) {
	needSh(t)
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("no /proc")
	}
	for _, tc := range []struct{ name, start string }{
		{"background child, leader exits 0", "sleep 1000 &"},
		{"setsid child", "setsid sleep 1000 &"},
		{"double fork", "(sleep 1000 & echo $! > child.pid) ; sleep 0.1 ; true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			script := tc.start + ` [ -f child.pid ] || echo $! > child.pid; read l; echo '{"desired": 2}'; exit 0`
			p := newPolicy(t, external.Config{Dir: dir, Command: []string{"sh", "-c", script}})
			if _, err := p.Decide(autoscale.Observation{Current: 1}); err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			waitGone(t, filepath.Join(dir, "child.pid"))
		})
	}
}

// TestExtraAnswerLines: a policy that answers a request with two lines
// fails the run instead of desynchronising, whether the extra line shows
// up at the next tick or at the end.
func TestExtraAnswerLines(t *testing.T) {
	needSh(t)
	p := newPolicy(t, external.Config{Name: "two", Command: []string{"sh", "-c",
		`while read l; do echo '{"desired": 2}'; echo '{"desired": 9}'; done`}})
	if _, err := p.Decide(autoscale.Observation{Current: 1}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the second line arrive
	_, err := p.Decide(autoscale.Observation{Current: 1})
	want := `external policy "two" (sh -c 'while read l; do echo '"'"'{"desired": 2}'"'"'; echo '"'"'{"desired": 9}'"'"'; done') tick 2: malformed answer: more than one line for one request: "{\"desired\": 9}" was not asked for (answer each request with exactly one line)`
	if !errors.Is(err, external.ErrAnswer) {
		t.Fatalf("err %v, want ErrAnswer", err)
	}
	if !strings.HasSuffix(err.Error(), `tick 2: malformed answer: more than one line for one request: "{\"desired\": 9}" was not asked for (answer each request with exactly one line)`) {
		t.Errorf("err\n got %v\nwant %s", err, want)
	}

	p = newPolicy(t, external.Config{Name: "last", Command: []string{"sh", "-c",
		`read l; echo '{"desired": 2}'; echo '{"desired": 9}'; read l`}})
	if _, err := p.Decide(autoscale.Observation{Current: 1}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	err = p.Close()
	if !errors.Is(err, external.ErrAnswer) || !strings.Contains(err.Error(), `tick 1: malformed answer: more than one line for one request: "{\"desired\": 9}"`) {
		t.Errorf("Close: %v", err)
	}
}
