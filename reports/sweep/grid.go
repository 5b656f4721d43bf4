// Package sweep turns the runs of a parameter sweep into its outputs: the
// grid of parameter values, one sweep.csv row per run, the per-grid-point
// means and 95% confidence half-widths of sweep-summary.csv, the plots
// and sweep.html, and the merge of sharded parts. Running the simulations
// is the caller's job (cmd/clustersim); this package sees only summaries
// and the rows they become, so a sharded sweep merged and a sweep run in
// one piece go through the same code and give the same bytes.
package sweep

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Param is one swept scenario key and its values, in the order given.
type Param struct {
	Key    string   `json:"key"`    // dotted --set key, e.g. workload.shoppers.rate
	Values []string `json:"values"` // --set values, as written (ranges expanded)
}

// maxValues bounds the values of one range, so that a typo such as
// 0:1e9:1 is an error rather than a billion runs.
const maxValues = 100000

// ParseParam reads a --param argument: KEY=V1,V2,... or KEY=START:STOP:STEP.
// A range is expanded with exact decimal arithmetic (0.3:0.9:0.1 gives
// 0.3, 0.4, ..., 0.9, never 0.30000000000000004), STOP included when it is
// reached exactly. Values are --set values: anything `--set KEY=VALUE`
// accepts except values containing commas.
func ParseParam(arg string) (Param, error) {
	key, val, ok := strings.Cut(arg, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.TrimSpace(val) == "" {
		return Param{}, fmt.Errorf("--param %s: expected KEY=V1,V2,... or KEY=START:STOP:STEP", arg)
	}
	p := Param{Key: key}
	if strings.Count(val, ":") == 2 && !strings.Contains(val, ",") {
		vals, err := expandRange(val)
		if err != nil {
			return Param{}, fmt.Errorf("--param %s: %w", arg, err)
		}
		p.Values = vals
		return p, nil
	}
	seen := map[string]bool{}
	for v := range strings.SplitSeq(val, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return Param{}, fmt.Errorf("--param %s: empty value", arg)
		}
		if seen[v] {
			return Param{}, fmt.Errorf("--param %s: value %q given twice", arg, v)
		}
		seen[v] = true
		p.Values = append(p.Values, v)
	}
	return p, nil
}

// expandRange expands START:STOP:STEP with exact decimals.
func expandRange(r string) ([]string, error) {
	parts := strings.Split(r, ":")
	var nums [3]*big.Rat
	decimals := 0
	for i, s := range parts {
		s = strings.TrimSpace(s)
		if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "eExXpP_") {
			return nil, fmt.Errorf("range part %q is not a decimal number", s)
		}
		x, ok := new(big.Rat).SetString(s)
		if !ok {
			return nil, fmt.Errorf("range part %q is not a decimal number", s)
		}
		nums[i] = x
		if _, frac, ok := strings.Cut(s, "."); ok {
			decimals = max(decimals, len(frac))
		}
	}
	start, stop, step := nums[0], nums[1], nums[2]
	if step.Sign() <= 0 {
		return nil, errors.New("the step of a range must be positive")
	}
	if start.Cmp(stop) > 0 {
		return nil, errors.New("a range runs from its start up to its stop: start must not exceed stop")
	}
	var out []string
	for v := new(big.Rat).Set(start); v.Cmp(stop) <= 0; v.Add(v, step) {
		if len(out) == maxValues {
			return nil, fmt.Errorf("more than %d values", maxValues)
		}
		out = append(out, trimDecimal(v.FloatString(decimals)))
	}
	return out, nil
}

// trimDecimal drops trailing zeros of a decimal fraction ("0.50" → "0.5",
// "2.0" → "2").
func trimDecimal(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Plan is a whole sweep: every combination of the parameters' values (the
// grid), each run with the same Seeds. Run r is grid point r / len(Seeds)
// with seed Seeds[r % len(Seeds)]: the first parameter varies slowest and
// a grid point's seeds are consecutive runs.
type Plan struct {
	Scenario string   `json:"scenario"` // as given on the command line
	Params   []Param  `json:"params"`
	Seeds    []uint64 `json:"seeds"`
	Sets     []string `json:"sets,omitempty"` // --set overrides applied to every run, before the parameters
}

// NewPlan checks the parameters and numbers the seeds base, base+1, ...
func NewPlan(scenario string, params []Param, base uint64, seeds int, sets []string) (*Plan, error) {
	if seeds < 1 {
		return nil, fmt.Errorf("--seeds %d: a sweep needs at least one seed", seeds)
	}
	if len(params) == 0 {
		return nil, errors.New("a sweep needs at least one --param KEY=VALUE,VALUE (or KEY=START:STOP:STEP)")
	}
	keys := map[string]bool{}
	points := 1
	for _, p := range params {
		if keys[p.Key] {
			return nil, fmt.Errorf("--param %s given twice", p.Key)
		}
		keys[p.Key] = true
		if p.Key == "sim.seed" {
			return nil, errors.New("--param sim.seed: seeds are swept by --seeds N (paired across grid points)")
		}
		points *= len(p.Values)
		if points*seeds > 10_000_000 {
			return nil, fmt.Errorf("the sweep has more than 10,000,000 runs")
		}
	}
	pl := &Plan{Scenario: scenario, Params: params, Sets: sets}
	for k := range seeds {
		if base+uint64(k) < base {
			return nil, fmt.Errorf("seed %d + %d overflows", base, k)
		}
		pl.Seeds = append(pl.Seeds, base+uint64(k))
	}
	return pl, nil
}

// Points returns the number of grid points.
func (p *Plan) Points() int {
	n := 1
	for _, q := range p.Params {
		n *= len(q.Values)
	}
	return n
}

// Runs returns the number of runs: grid points × seeds.
func (p *Plan) Runs() int { return p.Points() * len(p.Seeds) }

// Point returns the parameter values of grid point i, one per parameter.
func (p *Plan) Point(i int) []string {
	vals := make([]string, len(p.Params))
	for j := len(p.Params) - 1; j >= 0; j-- {
		n := len(p.Params[j].Values)
		vals[j] = p.Params[j].Values[i%n]
		i /= n
	}
	return vals
}

// Run returns the parameter values and seed of run r.
func (p *Plan) Run(r int) (values []string, seed uint64) {
	n := len(p.Seeds)
	return p.Point(r / n), p.Seeds[r%n]
}

// Overrides returns the --set arguments of run r: the sweep's --set
// overrides, the parameters' values, then the seed.
func (p *Plan) Overrides(r int) []string {
	vals, seed := p.Run(r)
	out := append([]string(nil), p.Sets...)
	for j, q := range p.Params {
		out = append(out, q.Key+"="+vals[j])
	}
	return append(out, "sim.seed="+strconv.FormatUint(seed, 10))
}

// Shard is the slice of a sweep one process runs: runs whose index is I
// modulo N. The zero Shard (N = 0) is the whole sweep.
type Shard struct{ I, N int }

// ParseShard reads "I/N" with 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %s: expected I/N with 0 <= I < N, e.g. 0/4", s)
	}
	return Shard{I: i, N: n}, nil
}

// Whole reports whether the shard is the whole sweep.
func (s Shard) Whole() bool { return s.N <= 1 }

// Has reports whether run r belongs to the shard.
func (s Shard) Has(r int) bool { return s.Whole() || r%s.N == s.I }

// String is "I/N", or "" for the whole sweep (0/1 included).
func (s Shard) String() string {
	if s.Whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}
