package scenario

import (
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Platform is how a service runs and is billed.
type Platform string

// Platforms.
const (
	PlatformInstance  Platform = "instance"
	PlatformContainer Platform = "container"
	PlatformFunction  Platform = "function"
)

// Arch is a processor architecture: "x86_64" or "arm64".
type Arch string

// Runtime names a function runtime whose typical init duration is the
// default cold_start.
type Runtime string

// runtimePreset is a runtime's init duration: a lognormal by mean and p99.
type runtimePreset struct {
	name      Runtime
	mean, p99 float64 // seconds
}

// runtimePresets are typical cold starts of a small function (init
// duration, excluding the handler).
//   - nodejs, python, go: "most of the time they complete within 400
//     milliseconds and almost always within 700 milliseconds" (M. Shilkov,
//     Cold Starts in AWS Lambda, https://mikhail.io/serverless/coldstarts/aws/):
//     mean 250 ms, p99 700 ms.
//   - java: a JVM without SnapStart takes seconds, 1 to 3 s at the median
//     for Java 17/21 as reported by community measurements (for example
//     github.com/singledigit/lambda-benchmark, hivebook.wiki's Lambda
//     cold-start table): mean 1.5 s, p99 4 s. Frameworks (Spring) take
//     longer: give cold_start explicitly.
//
// VPC attachment adds no preset: since 2019 Lambda creates the
// function's network interfaces when the function is configured, not per
// cold start ("Announcing improved VPC networking for AWS Lambda
// functions", AWS Compute Blog, 2019-09-03).
var runtimePresets = []runtimePreset{
	{"nodejs", 0.25, 0.7},
	{"python", 0.25, 0.7},
	{"go", 0.25, 0.7},
	{"java", 1.5, 4},
}

func runtimeNames() []string {
	out := make([]string, len(runtimePresets))
	for i, r := range runtimePresets {
		out[i] = string(r.name)
	}
	return out
}

// Function limits a scenario may give: Lambda's memory range (128 MB to
// 10,240 MB), its 15-minute timeout, and a concurrency bound that keeps a
// run's memory reasonable.
const (
	minFunctionMemory   = 0.125
	maxFunctionMemory   = 10
	maxConcurrencyLimit = 1_000_000
	maxThrottleRetries  = 10_000
)

// validatePlatform checks the platform keys of a service.
func (d *checker) validatePlatform(s *Service, p tomlpos.Path) {
	if s.Platform != PlatformFunction {
		for _, k := range []struct {
			key   string
			given bool
		}{
			{"runtime", s.Runtime != ""}, {"cold_start", s.ColdStart != nil}, {"keep_alive", s.KeepAlive != 0}, {"keep_alive_dist", s.KeepAliveDist != nil},
			{"concurrency_limit", s.ConcurrencyLimit != 0}, {"provisioned", s.Provisioned != 0},
			{"timeout", s.Timeout != 0}, {"throttle_retry", s.ThrottleRetry != nil},
			{"provisioned_schedule", len(s.ProvisionedSchedule) > 0},
		} {
			if k.given {
				d.Errorf(ErrInvalid, p.Child(k.key), `set platform = "function"`, "applies to functions only")
			}
		}
		if s.Platform == PlatformInstance && s.Arch != "" && s.Arch != "x86_64" {
			d.Errorf(ErrInvalid, p.Child("arch"), `instances are priced by cost_per_hour; arch applies to platform = "container" or "function"`, "applies to containers and functions only")
		}
		return
	}
	if s.Autoscaler != nil && s.Autoscaler.Kind != AutoscalerNone {
		d.Errorf(ErrInvalid, p.Child("autoscaler"), "a function scales itself, one environment per concurrent request", "not for functions")
	}
	if s.NodePool != "" {
		d.Errorf(ErrInvalid, p.Child("node_pool"), "functions need no nodes", "not for functions")
	}
	if s.CostPerHour != 0 {
		d.Errorf(ErrInvalid, p.Child("cost_per_hour"), "functions are priced by the built-in table (per GB-second and per request)", "not for functions")
	}
	if s.Memory < minFunctionMemory || s.Memory > maxFunctionMemory {
		d.Errorf(ErrInvalid, p.Child("memory"), "a function's memory in GiB, 0.125 (128 MB) to 10 (10,240 MB)", "must be in [%v, %v], got %v", minFunctionMemory, maxFunctionMemory, s.Memory)
	}
	if s.ColdStart != nil {
		d.validateDist(s.ColdStart, p.Child("cold_start"))
		if s.Runtime != "" {
			d.Errorf(ErrInvalid, p.Child("cold_start"), "runtime is a preset for cold_start", "give runtime or cold_start, not both")
		}
	}
	if s.KeepAliveDist != nil {
		d.validateDist(s.KeepAliveDist, p.Child("keep_alive_dist"))
		if s.KeepAlive != 0 {
			d.Errorf(ErrInvalid, p.Child("keep_alive_dist"), "keep_alive is the fixed form", "give keep_alive or keep_alive_dist, not both")
		}
	}
	if s.KeepAlive < 0 {
		d.Errorf(ErrInvalid, p.Child("keep_alive"), "omit it for the default 10m", "must be > 0, got %s", s.KeepAlive)
	}
	if s.ConcurrencyLimit < 0 || s.ConcurrencyLimit > maxConcurrencyLimit {
		d.Errorf(ErrInvalid, p.Child("concurrency_limit"), "omit it for the default 1000", "must be in [1, %d], got %d", maxConcurrencyLimit, s.ConcurrencyLimit)
	}
	limit := s.ConcurrencyLimit
	if limit == 0 {
		limit = models.DefaultConcurrencyLimit
	}
	if s.Provisioned < 0 || s.Provisioned > limit {
		d.Errorf(ErrInvalid, p.Child("provisioned"), "provisioned concurrency counts against concurrency_limit", "must be in [0, %d], got %d", limit, s.Provisioned)
	}
	for i, st := range s.ProvisionedSchedule {
		ep := p.Child("provisioned_schedule").Elem(i, "")
		if st.Count < 0 || st.Count > limit {
			d.Errorf(ErrInvalid, ep.Child("count"), "provisioned concurrency counts against concurrency_limit", "must be in [0, %d], got %d", limit, st.Count)
		}
		if st.At < 0 || (i > 0 && st.At <= s.ProvisionedSchedule[i-1].At) {
			d.Errorf(ErrInvalid, ep.Child("at"), "entries in time order", "must be >= 0 and after the previous entry's, got %s", st.At)
		}
	}
	if s.Timeout < 0 || s.Timeout > Duration(models.MaxFunctionTimeout) {
		d.Errorf(ErrInvalid, p.Child("timeout"), "Lambda's maximum is 15m", "must be in (0s, 15m], got %s", s.Timeout)
	}
	if r := s.ThrottleRetry; r != nil {
		rp := p.Child("throttle_retry")
		if r.Retries < 1 || r.Retries > maxThrottleRetries {
			d.Errorf(ErrInvalid, rp.Child("retries"), "omit throttle_retry for none", "must be in [1, %d], got %d", maxThrottleRetries, r.Retries)
		}
		if r.Backoff <= 0 {
			d.Errorf(ErrInvalid, rp.Child("backoff"), "", "must be > 0, got %s", r.Backoff)
		}
	}
}

// buildPlatform fills the platform part of a service's spec.
func buildPlatform(spec *models.ServiceSpec, s Service) error {
	arch, err := cost.ParseArch(string(s.Arch))
	if err != nil {
		return err
	}
	spec.Arch = arch
	switch s.Platform {
	case PlatformContainer:
		spec.Platform = models.PlatformContainer
		return nil
	case PlatformFunction:
	default:
		return nil
	}
	spec.Platform = models.PlatformFunction
	spec.Replicas = 0
	fn := models.DefaultFunctionSpec()
	fn.Arch = arch
	for _, r := range runtimePresets {
		if r.name == s.Runtime {
			mu, sigma, err := dist.LogNormalFromMeanP99(r.mean, r.p99)
			if err != nil {
				return err
			}
			fn.ColdStart = dist.Spec{Kind: "lognormal", Mu: mu, Sigma: sigma}
		}
	}
	if s.ColdStart != nil {
		fn.ColdStart = s.ColdStart.Spec()
	}
	if s.KeepAlive > 0 {
		fn.KeepAlive = engine.Duration(s.KeepAlive)
	}
	if s.KeepAliveDist != nil {
		fn.KeepAliveDist = s.KeepAliveDist.Spec()
	}
	if s.ConcurrencyLimit > 0 {
		fn.ConcurrencyLimit = s.ConcurrencyLimit
	}
	fn.Provisioned = s.Provisioned
	for _, st := range s.ProvisionedSchedule {
		fn.ProvisionedSchedule = append(fn.ProvisionedSchedule, models.ProvisionedStep{At: engine.Time(st.At), Count: st.Count})
	}
	if s.Timeout > 0 {
		fn.Timeout = engine.Duration(s.Timeout)
	}
	if r := s.ThrottleRetry; r != nil {
		fn.ThrottleRetries = r.Retries
		fn.ThrottleBackoff = engine.Duration(r.Backoff)
	}
	spec.Function = &fn
	return nil
}
