package scenario

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
)

// Build turns a validated scenario into the models' configuration and the
// assertions to evaluate after the run.
func Build(c *Config) (models.Config, []assertion.Spec, error) {
	mc := models.Config{
		Name:     c.Sim.Name,
		Seed:     c.Sim.Seed,
		Duration: engine.Duration(c.Sim.Duration),
		Warmup:   engine.Duration(c.Sim.Warmup),
		Window:   engine.Duration(c.Sim.Window),
	}
	poolIndex := map[string]int{}
	for i, np := range c.NodePools {
		poolIndex[np.Name] = i
		mc.NodePools = append(mc.NodePools, buildNodePool(np))
	}
	ca, err := buildClusterAutoscaler(c.ClusterAutoscaler)
	if err != nil {
		return mc, nil, fmt.Errorf("%s: cluster_autoscaler: %w", c.File, err)
	}
	mc.ClusterAutoscaler = ca
	index := map[string]int{}
	for i, s := range c.Services {
		index[s.Name] = i
		spec, err := buildService(c, s)
		spec.Pool = -1 // any pool
		if i, ok := poolIndex[s.NodePool]; ok {
			spec.Pool = i
		}
		if err != nil {
			return mc, nil, err
		}
		mc.Services = append(mc.Services, spec)
	}
	for i, s := range c.Services {
		if err := buildCalls(s, index, &mc.Services[i]); err != nil { // clients.go; callees may come later in the file
			return mc, nil, fmt.Errorf("%s: service %q: %w", c.File, s.Name, err)
		}
		buildCache(s, &mc.Services[i])
		buildDatabase(s, &mc.Services[i])            // database.go
		buildSessionStore(s, index, &mc.Services[i]) // identity.go
		buildRetryAfter(s, &mc.Services[i])          // resilience.go
		buildSidecar(s, &mc.Services[i])
	}
	for _, w := range c.Workloads {
		svc, ok := index[w.Target]
		if !ok {
			return mc, nil, fmt.Errorf("%s: workload %q targets unknown service %q", c.File, w.Name, w.Target)
		}
		spec := models.WorkloadSpec{
			Name:    w.Name,
			Service: svc,
			Timeout: engine.Duration(w.Timeout),
			Keys:    models.KeySpec{Keys: w.Keys, Zipf: w.Zipf},
		}
		if w.ServiceTime == nil {
			return mc, nil, fmt.Errorf("%s: workload %q has no service_time", c.File, w.Name)
		}
		spec.ServiceTime = w.ServiceTime.Spec()
		switch w.Arrival {
		case ArrivalConstant:
			spec.Arrival = models.Constant
		case ArrivalTrace:
			spec.Arrival = models.Trace
			buildReplay(w, &spec) // trace.go
		case ArrivalMMPP:
			spec.Arrival = models.MMPP
			spec.MMPP = models.MMPPSpec{RateOn: w.MMPP.RateOn, RateOff: w.MMPP.RateOff,
				MeanOn: engine.Duration(w.MMPP.MeanOn), MeanOff: engine.Duration(w.MMPP.MeanOff)}
		default:
			spec.Arrival = models.Poisson
		}
		spec.Rate = workloadCurve(w, c.Sim.Duration) // shapes.go
		buildNetwork(w, &spec)
		spec.Writes = w.Writes         // database.go
		buildIdentity(w, index, &spec) // identity.go
		if err := buildClients(w, &spec); err != nil {
			return mc, nil, fmt.Errorf("%s: workload %q: %w", c.File, w.Name, err)
		}
		buildHedge(w, &spec) // resilience.go
		mc.Workloads = append(mc.Workloads, spec)
	}
	if mc.Faults, err = buildFaults(c, index); err != nil {
		return mc, nil, err
	}
	if mc.Deploys, err = buildDeploys(c, index); err != nil {
		return mc, nil, err
	}
	if mc.Neighbours, err = buildNeighbours(c); err != nil { // neighbour.go
		return mc, nil, err
	}
	var asserts []assertion.Spec
	for _, a := range c.Asserts {
		spec := assertion.Spec{Name: a.Name, Metric: a.Metric, Min: a.Min, Max: a.Max}
		if a.Series != "" {
			spec.Series, spec.Agg = a.Series, assertion.Agg(a.Agg)
			spec.From, spec.To = engine.Duration(c.Sim.Warmup), engine.Duration(c.Sim.Duration)
			if a.From != nil {
				spec.From = engine.Duration(*a.From)
			}
			if a.To != nil {
				spec.To = engine.Duration(*a.To)
			}
		}
		asserts = append(asserts, spec)
	}
	return mc, asserts, nil
}

// rateCurve turns a workload's rate and schedule into a piecewise-linear
// curve: each schedule entry holds the previous rate until At, then moves
// linearly to its rate over Ramp.
func rateCurve(w Workload) models.RateCurve {
	curve := models.RateCurve{{At: 0, Rate: w.Rate}}
	prev := w.Rate
	for _, p := range w.Schedule {
		at := engine.Time(p.At)
		curve = append(curve, models.RatePoint{At: at, Rate: prev})
		curve = append(curve, models.RatePoint{At: at.Add(engine.Duration(p.Ramp)), Rate: p.Rate})
		prev = p.Rate
	}
	// Entries whose ramp runs past the next entry's start are cut short
	// there: keep times non-decreasing.
	for i := 1; i < len(curve); i++ {
		if curve[i].At < curve[i-1].At {
			curve[i-1].At = curve[i].At
		}
	}
	slices.SortStableFunc(curve, func(a, b models.RatePoint) int { return int(a.At - b.At) })
	return curve
}

func buildService(c *Config, s Service) (models.ServiceSpec, error) {
	spec := models.ServiceSpec{
		Name:        s.Name,
		Replicas:    s.Replicas,
		Concurrency: s.Concurrency,
		Queue:       -1,
		Algorithm:   string(s.Balancer.Algorithm),
		Balance:     buildBalancer(s.Balancer),
		Weights:     s.Balancer.Weights,
		Warmup:      engine.Duration(s.Warmup.Duration),
		Slowdown:    s.Warmup.Slowdown,
		SlowCount:   s.Slow.Instances,
		SlowFactor:  s.Slow.Factor,
		CostPerHour: s.CostPerHour,
		Readiness: models.Probe{
			InitialDelay:     engine.Duration(s.Readiness.InitialDelay),
			Period:           engine.Duration(s.Readiness.Period),
			SuccessThreshold: s.Readiness.SuccessThreshold,
			FailureThreshold: s.Readiness.FailureThreshold,
			Timeout:          engine.Duration(s.Readiness.Timeout),
		},
		Grace:    engine.Duration(s.TerminationGrace),
		CPU:      s.CPU,
		CPULimit: s.CPULimit,
		Memory:   s.Memory,
		Spread:   s.Placement != PlacementBinpack,
		Versions: buildVersions(s),

		ChaosMonkey: buildMonkey(s),
	}
	if s.Queue != nil {
		spec.Queue = *s.Queue
	}
	buildServiceConns(s, &spec)
	buildHealth(s, &spec)
	spec.Flags = buildFlags(s)
	spec.LB = buildLB(s.Balancer)
	if s.Startup > 0 {
		spec.Startup = dist.Spec{Kind: "constant", Mean: s.Startup.Seconds()}
	}
	if s.ProcessStart != nil {
		spec.Startup = s.ProcessStart.Spec()
	}
	if s.ImagePull != nil {
		spec.ImagePull = s.ImagePull.Spec()
	}
	if err := buildPricing(&spec, s); err != nil {
		return spec, fmt.Errorf("%s: service.%s: %w", c.File, s.Name, err)
	}
	if err := buildPlatform(&spec, s); err != nil {
		return spec, fmt.Errorf("%s: service.%s: %w", c.File, s.Name, err)
	}
	if s.Autoscaler != nil && s.Autoscaler.Kind != AutoscalerNone {
		auto, err := buildAutoscaler(c, s)
		if err != nil {
			return spec, fmt.Errorf("%s: service.%s.autoscaler: %w", c.File, s.Name, err)
		}
		spec.Autoscaler = auto
	}
	return spec, nil
}

// defaultProvision is a node's provisioning time when a pool gives none:
// the flash-sale drill in the reference material quotes 60-90 s.
const defaultProvision = 90 * engine.Second

func buildClusterAutoscaler(ca ClusterAutoscaler) (models.ClusterAutoscalerSpec, error) {
	exp, err := nodescale.ParseExpander(string(ca.Expander))
	return models.ClusterAutoscalerSpec{
		ScanInterval:           engine.Duration(ca.ScanInterval),
		ScaleDownDelayAfterAdd: engine.Duration(ca.ScaleDownDelayAfterAdd),
		Expander:               exp,
		MaxEmptyBulkDelete:     ca.MaxEmptyBulkDelete,
	}, err
}

func buildNodePool(np NodePool) models.NodePoolSpec {
	nodes, lo, hi := np.counts()
	spec := models.NodePoolSpec{
		Name: np.Name, CPU: np.CPU, Memory: np.Memory,
		Initial: nodes, Min: lo, Max: hi, Zones: np.Zones,
		Provision:            dist.Spec{Kind: "constant", Mean: defaultProvision.Seconds()},
		ScaleDownUnneeded:    engine.Duration(np.ScaleDownUnneeded),
		ScaleDownUtilization: np.ScaleDownUtilization,
		CostPerHour:          np.CostPerHour,
		Dedicated:            np.Dedicated,
	}
	if np.Provision != nil {
		spec.Provision = np.Provision.Spec()
	}
	for _, f := range np.Failures {
		spec.Failures = append(spec.Failures, models.NodeFailure{At: engine.Time(f.At), Count: f.Count})
	}
	return spec
}
