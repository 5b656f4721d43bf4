package external

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// ProtocolVersion is the "v" field of every request.
const ProtocolVersion = 1

// DefaultTimeout is how long a tick waits for an answer when
// Config.Timeout is zero, wall clock.
const DefaultTimeout = 5 * time.Second

// Errors wrapped by Err, one per way a policy process can fail.
var (
	// ErrConfig is wrapped by every error New returns.
	ErrConfig = errors.New("external: invalid config")
	// ErrStart: the process could not be started.
	ErrStart = errors.New("cannot start")
	// ErrExited: the process exited, or closed its stdout, instead of
	// answering.
	ErrExited = errors.New("process exited")
	// ErrTimeout: no answer within Config.Timeout; the process was killed.
	ErrTimeout = errors.New("timed out")
	// ErrAnswer: the answer line is not a valid answer.
	ErrAnswer = errors.New("malformed answer")
)

// Config configures an external policy.
type Config struct {
	// Name is the policy's name, returned by Name and sent in requests;
	// "external" if empty.
	Name string
	// Command is the program and its arguments. A program name without a
	// path separator is looked up in PATH; a relative path is relative to
	// Dir.
	Command []string
	// Dir is the process's working directory (the scenario file's
	// directory); "" means the simulator's own.
	Dir string
	// Timeout bounds the wait for each answer, wall clock; 0 means
	// DefaultTimeout. The first tick, which also waits for the process to
	// start, gets 10 s more.
	Timeout time.Duration
	// Min and Max are the replica bounds, sent with each request and
	// applied to each answer.
	Min, Max int
	// Metric is the scenario's metric kind ("cpu", "rps", "in_flight",
	// "queue"), sent with each request.
	Metric string
	// Target is the metric's target per instance, in its unit, sent with
	// each request.
	Target float64
	// Service is the name of the service being scaled, sent with each
	// request.
	Service string
	// Stderr, if not nil, also receives everything the process writes to
	// its stderr (for example os.Stderr, to see a policy's logs). Write
	// errors are ignored. The last lines are kept for error messages
	// either way.
	Stderr io.Writer
}

// Policy is an autoscale.Policy answered by an external process. It is
// not safe for concurrent use. Call Close when the run ends.
type Policy struct {
	cfg     Config
	path    string // resolved executable, absolute
	tick    int    // ticks sent so far; the current tick while deciding
	err     error  // first failure; sticky
	closed  bool
	proc    *process // nil until the first Decide
	cleanup runtime.Cleanup
	req     request // reused between ticks
}

var _ autoscale.Policy = (*Policy)(nil)

// New validates cfg and returns a policy whose process starts at the
// first Decide. The executable is looked up now, so a missing program is
// an error here rather than at the first tick.
func New(cfg Config) (*Policy, error) {
	if cfg.Name == "" {
		cfg.Name = "external"
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case len(cfg.Command) == 0 || cfg.Command[0] == "":
		return nil, fmt.Errorf("%w: policy %q: command is empty", ErrConfig, cfg.Name)
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("%w: policy %q: timeout %v is negative", ErrConfig, cfg.Name, cfg.Timeout)
	case cfg.Min < 0 || cfg.Max < cfg.Min:
		return nil, fmt.Errorf("%w: policy %q: need 0 <= min <= max, got min %d max %d", ErrConfig, cfg.Name, cfg.Min, cfg.Max)
	}
	cfg.Command = append([]string(nil), cfg.Command...)
	path, err := resolve(cfg.Command[0], cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w: policy %q (%s): %v", ErrConfig, cfg.Name, commandLine(cfg.Command), err)
	}
	return &Policy{cfg: cfg, path: path}, nil
}

// resolve finds the executable the way a shell in dir would, and makes
// it absolute so that it does not depend on the working directory.
func resolve(name, dir string) (string, error) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
	}
	path, err := exec.LookPath(name)
	if err != nil && !errors.Is(err, exec.ErrDot) {
		return "", err
	}
	return filepath.Abs(path)
}

// Name implements autoscale.Policy.
func (p *Policy) Name() string { return p.cfg.Name }

// Err returns the failure that stopped the policy, or nil. Once it is
// non-nil it stays so, and Decide keeps the current replica count.
func (p *Policy) Err() error { return p.err }

// Decide implements autoscale.Policy: it sends obs to the process and
// returns its answer, clamped to [Min, Max]. On failure it returns
// obs.Current with the error, and every later call returns the same
// error (Err reports it too).
func (p *Policy) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	d := p.decide(obs)
	return d, p.err
}

func (p *Policy) decide(obs autoscale.Observation) autoscale.Decision {
	hold := autoscale.Decision{Desired: obs.Current, Recommended: obs.Current, Reason: "external: failed"}
	if p.err != nil {
		return hold
	}
	p.tick++
	if p.closed {
		p.err = p.errorf("%w: policy used after Close", ErrExited)
		return hold
	}
	line, err := p.encode(obs)
	if err != nil {
		p.err = p.errorf("cannot encode the observation: %v", err)
		return hold
	}
	if p.proc == nil {
		if p.proc, err = start(p.path, p.cfg); err != nil {
			p.proc = nil
			p.err = p.errorf("%w: %v", ErrStart, err)
			return hold
		}
		// Backstop only: kill the process if the Policy is dropped
		// without Close.
		p.cleanup = runtime.AddCleanup(p, func(pr *process) { pr.stop(0) }, p.proc)
	}
	timeout := p.cfg.Timeout
	if p.tick == 1 {
		timeout += startAllowance
	}
	answer, err := p.proc.exchange(line, timeout)
	if err == nil {
		var d autoscale.Decision
		if d, err = p.decision(obs, answer); err == nil {
			return d
		}
	}
	p.err = p.errorf("%w", err)
	p.proc.stop(0)
	return hold
}

// Close ends the process: it closes its stdin, gives it a second to exit
// and kills it otherwise, then reaps it. It reports a non-zero exit status
// the process returned on its own, unless the policy had already failed.
// Close is idempotent; a Decide after Close fails.
func (p *Policy) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	if p.proc == nil {
		return nil
	}
	p.cleanup.Stop()
	if p.err == nil {
		// An answer line too many at the last tick.
		if _, err := p.proc.exchange(nil, exitGrace); err != nil {
			p.err = p.errorf("%w", err)
			return p.err
		}
	}
	status := p.proc.stop(exitGrace)
	if status == "" || p.err != nil {
		return nil
	}
	return fmt.Errorf("external policy %q (%s): at end of run: %s%s",
		p.cfg.Name, commandLine(p.cfg.Command), status, p.proc.stderrTail())
}

// errorf formats an error that names the policy, its command and the
// current tick.
func (p *Policy) errorf(format string, args ...any) error {
	return fmt.Errorf("external policy %q (%s) tick %d: "+format,
		append([]any{p.cfg.Name, commandLine(p.cfg.Command), p.tick}, args...)...)
}

// request is one tick's message to the process (protocol v1).
type request struct {
	V        int      `json:"v"`
	Tick     int      `json:"tick"`
	TimeS    float64  `json:"time_s"`
	Policy   string   `json:"policy"`
	Service  string   `json:"service"`
	Current  int      `json:"current"`
	Min      int      `json:"min"`
	Max      int      `json:"max"`
	Metric   string   `json:"metric"`
	Target   float64  `json:"target"`
	Pods     []pod    `json:"pods"`
	External *float64 `json:"external"`
}

type pod struct {
	Ready       bool    `json:"ready"`
	Pending     bool    `json:"pending"`
	Terminating bool    `json:"terminating"`
	HasMetric   bool    `json:"has_metric"`
	Metric      float64 `json:"metric"`
	StartedS    float64 `json:"started_s"`
	ReadyS      float64 `json:"ready_s"`
}

// answer is the process's reply. Desired stays raw so that a missing,
// null, fractional or non-numeric value gets its own message.
type answer struct {
	Desired json.RawMessage `json:"desired"`
	Reason  string          `json:"reason"`
}

// encode renders obs as the request line, newline included.
func (p *Policy) encode(obs autoscale.Observation) ([]byte, error) {
	r := &p.req
	*r = request{
		V: ProtocolVersion, Tick: p.tick, TimeS: obs.Now.Seconds(),
		Policy: p.cfg.Name, Service: p.cfg.Service, Current: obs.Current,
		Min: p.cfg.Min, Max: p.cfg.Max, Metric: p.cfg.Metric, Target: p.cfg.Target,
		Pods: r.Pods[:0],
	}
	for _, s := range obs.Pods {
		m := s.Metric
		if !s.HasMetric {
			m = 0
		}
		r.Pods = append(r.Pods, pod{
			Ready: s.Ready, Pending: s.Phase == autoscale.PodPending, Terminating: s.Phase == autoscale.PodTerminating,
			HasMetric: s.HasMetric, Metric: m,
			StartedS: s.StartedAt.Seconds(), ReadyS: s.ReadyAt.Seconds(),
		})
	}
	if obs.HasExternal {
		ext := obs.External
		r.External = &ext
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// decision parses an answer line into a Decision for obs.
func (p *Policy) decision(obs autoscale.Observation, line []byte) (autoscale.Decision, error) {
	var a answer
	if err := json.Unmarshal(line, &a); err != nil {
		return autoscale.Decision{}, fmt.Errorf("%w %s: %v", ErrAnswer, quote(line), err)
	}
	raw := strings.TrimSpace(string(a.Desired))
	if raw == "" || raw == "null" {
		return autoscale.Decision{}, fmt.Errorf("%w %s: \"desired\" is missing", ErrAnswer, quote(line))
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || raw[0] == '"' || math.IsInf(f, 0) || f != math.Trunc(f) || f < 0 {
		return autoscale.Decision{}, fmt.Errorf("%w %s: \"desired\" must be an integer >= 0, got %s", ErrAnswer, quote(line), truncate(raw, 40))
	}
	d := autoscale.Decision{Desired: obs.Current, Reason: "external"}
	if a.Reason != "" {
		d.Reason = "external: " + truncate(strings.Join(strings.Fields(a.Reason), " "), maxReason)
	}
	switch {
	case f > float64(p.cfg.Max):
		d.Desired = p.cfg.Max
		d.Reason += fmt.Sprintf(" (%s clamped to max %d)", truncate(raw, 20), p.cfg.Max)
	case f < float64(p.cfg.Min):
		d.Desired = p.cfg.Min
		d.Reason += fmt.Sprintf(" (%s raised to min %d)", raw, p.cfg.Min)
	default:
		d.Desired = int(f)
	}
	d.Recommended = int(min(f, math.MaxInt32))
	d.Metric = p.metric(obs)
	if p.cfg.Target > 0 {
		d.Ratio = d.Metric / p.cfg.Target
	}
	return d, nil
}

// metric is the value recorded as the metric the decision acted on: for
// "queue" the external total per current replica, otherwise the average
// over non-terminating pods with a sample, summed in pod order; 0 when
// there is none.
func (p *Policy) metric(obs autoscale.Observation) float64 {
	if p.cfg.Metric == string(autoscale.MetricQueue) {
		if !obs.HasExternal || obs.Current <= 0 {
			return 0
		}
		return obs.External / float64(obs.Current)
	}
	var sum float64
	n := 0
	for _, s := range obs.Pods {
		if s.HasMetric && s.Phase != autoscale.PodTerminating {
			sum += s.Metric
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Limits on what error messages and reasons quote, bytes.
const (
	maxQuote  = 200
	maxReason = 200
)

// truncate cuts s to at most n bytes, on a rune boundary, marking the cut.
// Control characters (a terminal escape, DEL) come out as \xNN escapes,
// so text from a policy cannot drive the user's terminal.
func truncate(s string, n int) string {
	more := ""
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, more = s[:n], "..."
	}
	return escapeControls(s) + more
}

// escapeControls writes each control character of s as a \xNN escape.
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quote renders an offending answer line for an error message.
func quote(line []byte) string {
	if len(line) > maxQuote {
		return strconv.Quote(string(line[:maxQuote])) + "..."
	}
	return strconv.Quote(string(line))
}

// commandLine renders a command for messages, quoting arguments that
// need it, truncated.
func commandLine(cmd []string) string {
	parts := make([]string, len(cmd))
	for i, c := range cmd {
		if c == "" || strings.ContainsAny(c, " \t\n\"'\\") {
			c = strconv.Quote(c)
		}
		parts[i] = c
	}
	return truncate(strings.Join(parts, " "), 80)
}
