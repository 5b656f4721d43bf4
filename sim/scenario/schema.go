package scenario

import (
	"errors"
	"reflect"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/policies/network"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
	"github.com/clustersim/clustersim/sim/policies/retry"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// The file format is decoded by package tomlpos, which knows TOML,
// positions and --set overrides but nothing of clusters; this file gives
// it what the Config types alone do not say: the valid values of each
// enumeration and the defaults of each table.

// Duration is a span of simulated time in nanoseconds, written as a string
// with units ("150ms", "2m", "1h30m"); see tomlpos.Duration. It converts
// to engine.Duration with a plain conversion.
type Duration = tomlpos.Duration

// Duration units.
const (
	Nanosecond  = tomlpos.Nanosecond
	Microsecond = tomlpos.Microsecond
	Millisecond = tomlpos.Millisecond
	Second      = tomlpos.Second
	Minute      = tomlpos.Minute
	Hour        = tomlpos.Hour
	Day         = tomlpos.Day
)

// ParseDuration parses a duration string such as "150ms" or "1h30m".
func ParseDuration(s string) (Duration, error) { return tomlpos.ParseDuration(s) }

// Error is one problem with a scenario, located in its file or naming the
// --set override it comes from; see tomlpos.Error for how it renders.
type Error = tomlpos.Error

// ErrorList is every problem found in one scenario, sorted by line, then
// key. Parse returns a non-empty ErrorList or nil.
type ErrorList = tomlpos.ErrorList

// Error kinds; every *Error wraps one, so errors.Is(err, ErrUnknownKey)
// works on an Error and on an ErrorList holding one.
var (
	ErrSyntax     = tomlpos.ErrSyntax
	ErrUnknownKey = tomlpos.ErrUnknownKey
	ErrType       = tomlpos.ErrType
	ErrInvalid    = tomlpos.ErrInvalid
	ErrOverride   = tomlpos.ErrOverride
	ErrMissing    = errors.New("scenario: missing required key")
	ErrReference  = errors.New("scenario: reference to nothing")
)

// schema is what the decoder needs to know of the scenario format.
var schema = tomlpos.Schema{
	Enums:           enums,
	Defaults:        defaults,
	OverrideExample: "for example --set service.api.replicas=5",
	Moved:           moved,
}

// moved lists keys that left a table, with where they went.
var moved = map[reflect.Type]map[string]string{
	reflect.TypeFor[NodePool](): {
		"scan_interval":              "moved to the cluster-wide [cluster_autoscaler] table",
		"scale_down_delay_after_add": "moved to the cluster-wide [cluster_autoscaler] table (it is global in cluster-autoscaler)",
	},
	reflect.TypeFor[Autoscaler](): {
		"scrape_interval": `renamed metrics_resolution (metrics-server's --metric-resolution)`,
	},
}

// enums lists the valid values of each string enumeration.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[Arrival]():        {"poisson", "constant", "trace", "mmpp"},
	reflect.TypeFor[Layer]():          {"L7", "L4"},
	reflect.TypeFor[Protocol]():       network.Names,
	reflect.TypeFor[FaultKind]():      models.FaultKinds,
	reflect.TypeFor[Algorithm]():      policies.Algorithms,
	reflect.TypeFor[Aperture]():       {"random", "deterministic"},
	reflect.TypeFor[Standby]():        models.LBStandbys,
	reflect.TypeFor[FaultComponent](): {"instances", "balancer"},
	reflect.TypeFor[AutoscalerKind](): {"hpa", "target_tracking", "step", "scheduled", "predictive", "external", "none"},
	reflect.TypeFor[Metric]():         {"cpu", "rps", "in_flight", "queue", "connections"},
	reflect.TypeFor[SelectPolicy]():   {"Max", "Min", "Disabled"},
	reflect.TypeFor[PolicyType]():     {"Pods", "Percent"},
	reflect.TypeFor[DistKind]():       {"constant", "exponential", "lognormal", "gamma", "erlang", "pareto", "uniform"},
	reflect.TypeFor[Placement]():      {"spread", "binpack"},
	reflect.TypeFor[Expander]():       nodescale.Expanders(),
	reflect.TypeFor[AssertAgg]():      aggNames(),
	reflect.TypeFor[Strategy]():       strategies,
	reflect.TypeFor[Platform]():       {"instance", "container", "function"},
	reflect.TypeFor[Arch]():           {"x86_64", "arm64"},
	reflect.TypeFor[Runtime]():        runtimeNames(),
	reflect.TypeFor[Pricing]():        cost.Pricings,
	reflect.TypeFor[Jitter]():         retry.Jitters,
	reflect.TypeFor[OnError]():        {"fail", "ignore", "fallback"},
	reflect.TypeFor[ShardBy]():        {"hash", "range"},
	reflect.TypeFor[StoreKind]():      {string(StoreMemory), string(StoreExternal)},
}

// aggNames returns the windowed-assertion aggregates as strings.
func aggNames() []string {
	out := make([]string, len(assertion.Aggs))
	for i, g := range assertion.Aggs {
		out[i] = string(g)
	}
	return out
}

// defaults returns the default value of a table of type t: an array entry,
// or a table replaced as a whole by --set.
func defaults(t reflect.Type) reflect.Value {
	switch t {
	case reflect.TypeFor[Workload]():
		return reflect.ValueOf(DefaultWorkload())
	case reflect.TypeFor[Service]():
		return reflect.ValueOf(DefaultService())
	case reflect.TypeFor[Balancer]():
		return reflect.ValueOf(DefaultBalancer())
	case reflect.TypeFor[Warmup]():
		return reflect.ValueOf(DefaultService().Warmup)
	case reflect.TypeFor[Slow]():
		return reflect.ValueOf(DefaultService().Slow)
	case reflect.TypeFor[Readiness]():
		return reflect.ValueOf(DefaultReadiness())
	case reflect.TypeFor[NodePool]():
		return reflect.ValueOf(DefaultNodePool())
	case reflect.TypeFor[ClusterAutoscaler]():
		return reflect.ValueOf(DefaultClusterAutoscaler())
	case reflect.TypeFor[Fault]():
		return reflect.ValueOf(DefaultFault())
	case reflect.TypeFor[OutlierDetection]():
		return reflect.ValueOf(DefaultOutlierDetection())
	case reflect.TypeFor[Network]():
		return reflect.ValueOf(DefaultNetwork())
	case reflect.TypeFor[NodeFailure]():
		return reflect.ValueOf(DefaultNodeFailure())
	case reflect.TypeFor[Deploy]():
		return reflect.ValueOf(DefaultDeploy())
	case reflect.TypeFor[Analysis]():
		return reflect.ValueOf(DefaultDeploy().Analysis)
	case reflect.TypeFor[Retry]():
		return reflect.ValueOf(DefaultRetry())
	case reflect.TypeFor[Call]():
		return reflect.ValueOf(DefaultCall())
	case reflect.TypeFor[Cache]():
		return reflect.ValueOf(DefaultCache())
	case reflect.TypeFor[Database]():
		return reflect.ValueOf(DefaultDatabase())
	case reflect.TypeFor[Breaker]():
		return reflect.ValueOf(DefaultBreaker())
	case reflect.TypeFor[Neighbour]():
		return reflect.ValueOf(DefaultNeighbour())
	case reflect.TypeFor[Endpoint]():
		return reflect.ValueOf(DefaultEndpoint())
	case reflect.TypeFor[Session]():
		return reflect.ValueOf(DefaultSession())
	case reflect.TypeFor[SessionStore]():
		return reflect.ValueOf(DefaultSessionStore())
	case reflect.TypeFor[Hedge]():
		return reflect.ValueOf(DefaultHedge())
	}
	return reflect.Zero(t)
}
