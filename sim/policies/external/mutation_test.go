package external_test

// Tests that pin rules mutation testing (make mutate) found unpinned. The
// survivors judged equivalent are listed, with reasons, in
// testdata/equivalent-mutants.txt.

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/policies/external"
)

// TestDecisionMetricAndRatio pins the figures recorded with an answer
// where there is nothing to divide by. autoscale.Decision documents Metric
// as "0 when no metric was usable" and Ratio as "0 when not applicable";
// the package's metric rule is "for queue the external total per current
// replica ... 0 when there is none". A division by zero here would record
// +Inf or NaN, which summary.json cannot hold.
func TestDecisionMetricAndRatio(t *testing.T) {
	needSh(t)
	for _, tc := range []struct {
		name       string
		metric     string
		target     float64
		obs        autoscale.Observation
		wantMetric float64
		wantRatio  float64
	}{
		// Ratio = Metric/target = 0.5/0.25.
		{"cpu on target", "cpu", 0.25, autoscale.Observation{Current: 2, Pods: pods(0.5, 0.5)}, 0.5, 2},
		{"no target: no ratio", "cpu", 0, autoscale.Observation{Current: 2, Pods: pods(0.5, 0.5)}, 0.5, 0},
		// 12 queued over 3 replicas, target 2 per replica.
		{"queue per replica", "queue", 2, autoscale.Observation{Current: 3, External: 12, HasExternal: true}, 4, 2},
		// Scaling from zero: no replica to share the backlog.
		{"queue at zero replicas", "queue", 2, autoscale.Observation{Current: 0, External: 12, HasExternal: true}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPolicy(t, external.Config{Command: answering(`{"desired": 3}`), Min: 0, Max: 20,
				Metric: tc.metric, Target: tc.target})
			d, _ := p.Decide(tc.obs)
			if err := p.Err(); err != nil {
				t.Fatal(err)
			}
			if d.Desired != 3 || d.Metric != tc.wantMetric || d.Ratio != tc.wantRatio {
				t.Errorf("got desired %d metric %g ratio %g, want 3, %g, %g",
					d.Desired, d.Metric, d.Ratio, tc.wantMetric, tc.wantRatio)
			}
		})
	}
}

// TestReasonCutOnRuneBoundary: the doc's reason is "recorded with the
// decision as external: <reason>", cut to 200 bytes (maxReason) on a rune
// boundary and marked "..." — never mid-rune, so the recorded reason stays
// valid UTF-8 (protocol lines are UTF-8).
func TestReasonCutOnRuneBoundary(t *testing.T) {
	needSh(t)
	for _, tc := range []struct {
		name   string
		reason string
		want   string
	}{
		{"fits", strings.Repeat("a", 200), strings.Repeat("a", 200)},
		{"ascii cut", strings.Repeat("a", 201), strings.Repeat("a", 200) + "..."},
		// "€" is 3 bytes: 200 bytes end inside the 67th, so 66 are kept.
		{"cut before a 3-byte rune", strings.Repeat("€", 100), strings.Repeat("€", 66) + "..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPolicy(t, external.Config{Command: answering(`{"desired": 2, "reason": "` + tc.reason + `"}`)})
			d, _ := p.Decide(autoscale.Observation{Current: 1})
			if err := p.Err(); err != nil {
				t.Fatal(err)
			}
			if want := "external: " + tc.want; d.Reason != want || !utf8.ValidString(d.Reason) {
				t.Errorf("reason %q (%d bytes), want %q", d.Reason, len(d.Reason), want)
			}
		})
	}
}

// TestMalformedAnswerQuote: "the offending line is quoted, truncated"
// (doc, Errors): up to 200 bytes (maxQuote) are quoted whole, a longer
// line is cut there and marked "...".
func TestMalformedAnswerQuote(t *testing.T) {
	needSh(t)
	x200 := strings.Repeat("x", 200)
	for _, tc := range []struct {
		answer string
		want   string
	}{
		{x200, `malformed answer ` + strconv.Quote(x200) + `: invalid character 'x'`},
		{x200 + "y", `malformed answer ` + strconv.Quote(x200) + `...: invalid character 'x'`},
	} {
		p := newPolicy(t, external.Config{Command: answering(tc.answer)})
		p.Decide(autoscale.Observation{Current: 1})
		if err := p.Err(); !errors.Is(err, external.ErrAnswer) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d-byte answer: err %v, want it to contain %s", len(tc.answer), err, tc.want)
		}
	}
}

// TestStderrInExitError: a process that exits instead of answering is
// reported "with its exit status and the last lines of its stderr" (doc,
// Errors): the last five lines, "... | " first when some were left out,
// each cut to 200 bytes on a rune boundary — whatever bytes the
// process wrote.
func TestStderrInExitError(t *testing.T) {
	needSh(t)
	for _, tc := range []struct {
		name   string
		script string
		want   string // the error's end
	}{
		{"five lines", `printf 'line %s\n' 1 2 3 4 5 >&2`, "; stderr: line 1 | line 2 | line 3 | line 4 | line 5"},
		{"seven lines, last five", `printf 'line %s\n' 1 2 3 4 5 6 7 >&2`, "; stderr: ... | line 3 | line 4 | line 5 | line 6 | line 7"},
		// 300 UTF-8 continuation bytes: no rune starts before the cut at
		// 200, so nothing of the line is kept but the mark.
		{"not UTF-8", `i=0; while [ $i -lt 300 ]; do printf '\200'; i=$((i+1)); done >&2`, "; stderr: ..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPolicy(t, external.Config{Name: "crasher", Command: []string{"sh", "-c", "read l; " + tc.script + "; exit 3"}})
			p.Decide(autoscale.Observation{Current: 1})
			err := p.Err()
			if !errors.Is(err, external.ErrExited) || !strings.Contains(err.Error(), "exit status 3") ||
				!strings.HasSuffix(err.Error(), tc.want) {
				t.Errorf("err %q, want ErrExited with exit status 3, ending %q", err, tc.want)
			}
		})
	}
}
