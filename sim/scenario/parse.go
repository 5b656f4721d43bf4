package scenario

import (
	"io/fs"
	"path/filepath"
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
	d.loadTraces(cfg, lim) // first: a trace's keys count for the keyed balancers
	d.validate(cfg)
	d.validateVariants(cfg)
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

// loadTraces reads the trace file of every trace workload.
func (d *checker) loadTraces(cfg *Config, lim Limits) {
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		if w.Arrival != ArrivalTrace || w.Trace == "" {
			continue
		}
		wp := tomlpos.Path{}.Child("workload").Elem(i, w.Name)
		p := wp.Child("trace")
		path := w.Trace
		if lim.Files != nil && !filepath.IsAbs(path) { // a library scenario's own trace
			if name := filepath.ToSlash(filepath.Clean(path)); fs.ValidPath(name) {
				w.TraceInfo = d.readTrace(lim.Files, name, w, wp) // trace.go
				d.checkLoop(w, wp)
				continue
			}
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(cfg.File), path)
		}
		if !lim.TraceAnywhere && !inside(filepath.Dir(cfg.File), path) {
			d.Errorf(ErrInvalid, p, "use --allow-trace-anywhere to read traces elsewhere",
				"trace %q is outside the scenario's folder", tomlpos.Escape(w.Trace))
			continue
		}
		w.TraceInfo = d.readTrace(nil, path, w, wp) // trace.go
		d.checkLoop(w, wp)
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
