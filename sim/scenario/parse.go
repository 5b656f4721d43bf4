package scenario

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Load reads the scenario file at path, applies overrides ("KEY=VALUE",
// see Parse) and validates it, under DefaultLimits (see LoadWith).
func Load(path string, overrides []string) (*Config, error) {
	return LoadWith(path, overrides, DefaultLimits())
}

// Parse decodes and validates the scenario data read from file (used in
// messages, for the default name and to resolve trace paths; "" for none).
// Each override is a "KEY=VALUE" --set argument, applied after decoding and
// before validation; KEY is a dotted path naming array entries by name,
// such as "service.api.replicas". On failure the error is an ErrorList
// holding every problem found. Parse applies DefaultLimits.
//
// A scenario with [[variant]] entries is also parsed once per variant,
// with the variant's overrides applied after the given ones; each result is
// in Variants[i].Config.
func Parse(file string, data []byte, overrides []string) (*Config, error) {
	return ParseWith(file, data, overrides, DefaultLimits())
}

// ParseWith is Parse under lim: data over lim.MaxSize is refused, and so
// is a scenario (or any of its variants) whose estimated cost (see
// Estimate) exceeds lim.
func ParseWith(file string, data []byte, overrides []string, lim Limits) (*Config, error) {
	if err := checkSize(file, data, lim); err != nil {
		return nil, err
	}
	cfg, d, err := parse(file, data, overrides, lim)
	if err != nil {
		return nil, err
	}
	if err := resolveVariants(cfg, d, data, overrides, lim); err != nil {
		return nil, err
	}
	d.checkCost(cfg, lim)
	for _, v := range cfg.Variants {
		d.checkCost(v.Config, lim)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// parse decodes and validates one configuration.
func parse(file string, data []byte, overrides []string, lim Limits) (*Config, *checker, error) {
	dec, err := tomlpos.New(file, data, schema)
	if err != nil {
		return nil, nil, err
	}
	cfg := &Config{Sim: DefaultSim(baseName(file)), ClusterAutoscaler: DefaultClusterAutoscaler(), File: file}
	cfg.Source, cfg.Overrides = data, overrides
	dec.Decode(cfg, overrides)
	d := &checker{Decoder: dec, servicePaths: map[string]tomlpos.Path{}}
	d.validate(cfg)
	d.validateVariants(cfg)
	d.loadTraces(cfg, lim)
	if err := d.Err(); err != nil {
		return nil, nil, err
	}
	inheritServiceTimes(cfg)
	return cfg, d, nil
}

// baseName is the scenario's default name: the file name without
// directory or ".toml".
func baseName(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), ".toml")
	if file == "" || name == "" || name == "." || name == string(filepath.Separator) {
		return "scenario"
	}
	return name
}

// inheritServiceTimes gives each workload without a service time a copy of
// its target service's.
func inheritServiceTimes(cfg *Config) {
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		if w.ServiceTime != nil {
			continue
		}
		for _, s := range cfg.Services {
			if s.Name == w.Target && s.ServiceTime != nil {
				w.ServiceTime = s.ServiceTime.clone()
			}
		}
	}
}

// clone returns a deep copy of x.
func (x *Dist) clone() *Dist {
	c := *x
	c.Mean, c.Value, c.P99 = clonePtr(x.Mean), clonePtr(x.Value), clonePtr(x.P99)
	c.Mu, c.Sigma, c.Shape = clonePtr(x.Mu), clonePtr(x.Sigma), clonePtr(x.Shape)
	c.K, c.Alpha, c.Xm = clonePtr(x.K), clonePtr(x.Alpha), clonePtr(x.Xm)
	c.Min, c.Max = clonePtr(x.Min), clonePtr(x.Max)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Limits on trace files: bad lines reported, and size.
const (
	maxTraceErrors = 10
	maxTraceBytes  = 1 << 30
)

// readLimited reads the file at path, failing if it holds more than limit
// bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, err
}

// loadTraces reads the trace file of every trace workload.
func (d *checker) loadTraces(cfg *Config, lim Limits) {
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		if w.Arrival != ArrivalTrace || w.Trace == "" {
			continue
		}
		p := tomlpos.Path{}.Child("workload").Elem(i, w.Name).Child("trace")
		path := w.Trace
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(cfg.File), path)
		}
		if !lim.TraceAnywhere && !inside(filepath.Dir(cfg.File), path) {
			d.Errorf(ErrInvalid, p, "use --allow-trace-anywhere to read traces elsewhere",
				"trace %q is outside the scenario's folder", tomlpos.Escape(w.Trace))
			continue
		}
		w.TraceTimes = d.readTrace(path, p)
	}
}

// inside reports whether path, once symbolic links are resolved, lies in
// the folder dir (or below).
func inside(dir, path string) bool {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved
	}
	abs, err1 := filepath.Abs(path)
	absDir, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(absDir, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// excerpt quotes at most maxExcerpt bytes of a line of an untrusted file,
// escaped, for an error message.
func excerpt(s string) string {
	if len(s) > maxExcerpt {
		return strconv.Quote(strings.ToValidUTF8(s[:maxExcerpt], "")) + "..."
	}
	return strconv.Quote(s)
}

// maxExcerpt bounds the bytes of an untrusted line quoted in a message.
const maxExcerpt = 32

// readTrace reads arrival times in seconds, one per line, with '#'
// comments; bad lines are reported with their line number in the trace.
func (d *checker) readTrace(path string, p tomlpos.Path) []float64 {
	const hint = "the path is relative to the scenario file"
	info, err := os.Stat(path)
	if err != nil {
		d.Errorf(ErrInvalid, p, hint, "cannot read trace: %v", err)
		return nil
	}
	if !info.Mode().IsRegular() {
		d.Errorf(ErrInvalid, p, hint, "trace %s is not a regular file", tomlpos.Escape(path))
		return nil
	}
	data, err := readLimited(path, maxTraceBytes)
	if err != nil {
		d.Errorf(ErrInvalid, p, hint, "cannot read trace: %v", err)
		return nil
	}
	var times []float64
	bad := 0
	fail := func(line int, format string, args ...any) {
		bad++
		if bad <= maxTraceErrors {
			d.Add(&Error{File: path, Line: line, Key: p.Key(),
				Msg: fmt.Sprintf(format, args...), Hint: "one arrival time in seconds per line", Kind: ErrInvalid})
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		t, err := strconv.ParseFloat(text, 64)
		switch {
		case err != nil:
			fail(line, "invalid arrival time %s", excerpt(text))
		case t < 0 || math.IsInf(t, 0) || math.IsNaN(t):
			fail(line, "arrival time %v must be a finite number >= 0", t)
		case len(times) > 0 && t < times[len(times)-1]:
			fail(line, "arrival time %v is before the previous one (%v): the trace must be sorted", t, times[len(times)-1])
		default:
			times = append(times, t)
		}
	}
	if err := sc.Err(); err != nil {
		fail(line+1, "cannot read trace: %v", err)
	}
	switch {
	case bad > maxTraceErrors:
		d.Errorf(ErrInvalid, p, "", "trace %s has %d bad lines; only the first %d are shown", path, bad, maxTraceErrors)
	case bad == 0 && len(times) == 0:
		d.Errorf(ErrInvalid, p, "one arrival time in seconds per line", "trace %s holds no arrival times", path)
	}
	return times
}
