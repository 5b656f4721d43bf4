package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/clustersim/clustersim/deploy"
	"github.com/clustersim/clustersim/reports/sweep"
	"github.com/clustersim/clustersim/scenarios"
)

// jobOptions are the flags of `sweep --emit-job`.
type jobOptions struct {
	Name        string
	Image       string
	Shards      int
	Parallelism int
	CPU         int
	Claim       string
	Merge       bool
}

func addJobFlags(fl *pflag.FlagSet, j *jobOptions) {
	fl.StringVar(&j.Name, "job-name", "", "with --emit-job: the Job's name (default clustersim-sweep-SCENARIO)")
	fl.StringVar(&j.Image, "job-image", "ghcr.io/clustersim/clustersim:latest", "with --emit-job: the container image (see Dockerfile)")
	fl.IntVar(&j.Shards, "job-shards", 10, "with --emit-job: shards (the Job's completions)")
	fl.IntVar(&j.Parallelism, "job-parallelism", 10, "with --emit-job: shard pods at once")
	fl.IntVar(&j.CPU, "job-cpu", 1, "with --emit-job: CPUs per pod (each pod runs that many runs at once)")
	fl.StringVar(&j.Claim, "job-claim", "clustersim-results", "with --emit-job: the ReadWriteMany PersistentVolumeClaim for the parts (deploy/results-pvc.yaml)")
	fl.BoolVar(&j.Merge, "job-merge", false, "with --emit-job: print the merge Job (run it once the shards completed) instead")
}

var dnsLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// emitJob prints the Kubernetes manifest of the sweep: a ConfigMap with
// the scenario and an Indexed Job of --job-shards pods, or with
// --job-merge the Job merging the parts.
func emitJob(w io.Writer, opts *SweepOptions, plan *sweep.Plan) error {
	j := opts.Job
	if j.Shards < 1 || j.Parallelism < 1 || j.CPU < 1 {
		return badInput(fmt.Errorf("--job-shards, --job-parallelism and --job-cpu must be at least 1"))
	}
	if opts.Shard != "" {
		return badInput(fmt.Errorf("--emit-job writes the shards itself (--job-shards); drop --shard"))
	}
	base := strings.TrimSuffix(filepath.Base(opts.Scenario), ".toml")
	src, err := os.ReadFile(opts.Scenario)
	if err != nil {
		if src, err = fs.ReadFile(scenarios.FS, base+".toml"); err != nil {
			return badInput(fmt.Errorf("%s: cannot read the scenario: %w", opts.Scenario, err))
		}
	}
	if j.Name == "" {
		j.Name = "clustersim-sweep-" + base
	}
	j.Name = strings.Trim(dnsLabel.ReplaceAllString(strings.ToLower(j.Name), "-"), "-")
	if len(j.Name) > 52 { // room for "-merge" and the pod suffixes
		j.Name = strings.TrimRight(j.Name[:52], "-")
	}
	var args []string
	if opts.Variant != "" {
		args = append(args, "--variant", opts.Variant)
	}
	for _, p := range opts.Params {
		args = append(args, "--param", p)
	}
	for _, s := range opts.Sets {
		args = append(args, "--set", s)
	}
	args = append(args, "--seed", strconv.FormatUint(plan.Seeds[0], 10), "--seeds", strconv.Itoa(len(plan.Seeds)),
		"--parallel", strconv.Itoa(j.CPU))
	sweepYAML, mergeYAML, err := deploy.Render(deploy.Job{
		Name: j.Name, Image: j.Image, Shards: j.Shards, Parallelism: j.Parallelism,
		CPU: strconv.Itoa(j.CPU), Claim: j.Claim, ScenarioFile: base + ".toml", Scenario: src, SweepArgs: args,
	})
	if err != nil {
		return err
	}
	if j.Merge {
		_, err = w.Write(mergeYAML)
	} else {
		_, err = w.Write(sweepYAML)
	}
	return err
}
