package external

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// FuzzDecision fuzzes the answer decoder with any line: it never panics,
// a rejected line is ErrAnswer with a short message, and an accepted one
// gives a count within [Min, Max]. Seeded with the answers of the library's
// example policy and the protocol's documented edge cases.
func FuzzDecision(f *testing.F) {
	for _, s := range []string{
		`{"desired": 5, "reason": "avg cpu 0.83 above target 0.7"}`,
		`{"desired": 3, "reason": "queue 12 over 3 replicas"}`,
		`{"desired": 5.0}`, `{"desired": 5.5}`, `{"desired": "5"}`, `{"desired": null}`, `{}`,
		`{"desired": 1e400}`, `{"desired": -1}`, `{"desired": 99999999999999999999}`, `[1]`, "\x1b[2J", "{\"desired\":\"\x7f\"}",
	} {
		f.Add([]byte(s))
	}
	p := &Policy{cfg: Config{Name: "fuzz", Min: 1, Max: 20, Metric: "cpu", Target: 0.7}}
	obs := autoscale.Observation{Current: 3, Pods: []autoscale.PodSample{{Ready: true, HasMetric: true, Metric: 0.5}}}
	f.Fuzz(func(t *testing.T, line []byte) {
		d, err := p.decision(obs, line)
		if err != nil {
			if !errors.Is(err, ErrAnswer) {
				t.Fatalf("error is not ErrAnswer: %v", err)
			}
			// A quoted excerpt is at most maxQuote bytes, each escaped in
			// at most 4.
			if msg := err.Error(); len(msg) > 4*maxQuote+200 {
				t.Fatalf("error quotes too much (%d bytes)", len(msg))
			} else if strings.ContainsFunc(msg, unicode.IsControl) {
				t.Fatalf("error holds a control character: %q", msg)
			}
			return
		}
		if d.Desired < 1 || d.Desired > 20 {
			t.Fatalf("desired %d outside [1, 20] for %q", d.Desired, line)
		}
		if strings.ContainsFunc(d.Reason, unicode.IsControl) {
			t.Fatalf("reason holds a control character: %q", d.Reason)
		}
	})
}
