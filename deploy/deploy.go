// Package deploy holds the Kubernetes manifests of a distributed sweep
// (an Indexed Job of shards and a merge Job) as templates, and fills them
// in.
package deploy

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"
)

//go:embed sweep-job.yaml
var sweepJob string

//go:embed merge-job.yaml
var mergeJob string

// Job is what the templates need.
type Job struct {
	Name           string   // Job name (a DNS label), also the results sub-folder
	Image          string   // container image holding /clustersim
	Shards         int      // completions: one pod per shard
	Parallelism    int      // pods at once
	CPU            string   // CPU request per pod
	Claim          string   // PersistentVolumeClaim of the shared results volume
	ScenarioFile   string   // file name of the scenario in the ConfigMap
	Scenario       []byte   // the scenario file
	SweepArgs      []string // sweep flags after the scenario: --param ..., --seeds N, --set ...
	ScenarioSource string   // filled by Render: Scenario indented for the ConfigMap
	Args           []string // filled by Render: the shard container's args, YAML-quoted
	MergeArgs      []string // filled by Render: the merge container's args, YAML-quoted
}

// Render returns the shard manifest (ConfigMap and Indexed Job) and the
// merge Job.
func Render(j Job) (sweepYAML, mergeYAML []byte, err error) {
	if j.Shards < 1 || j.Parallelism < 1 {
		return nil, nil, fmt.Errorf("deploy: shards and parallelism must be at least 1")
	}
	var src strings.Builder
	for line := range strings.SplitSeq(strings.TrimRight(string(j.Scenario), "\n"), "\n") {
		src.WriteString("    " + line + "\n")
	}
	j.ScenarioSource = strings.TrimRight(src.String(), "\n")
	dir := "/results/" + j.Name
	args := []string{"sweep", "/scenario/" + j.ScenarioFile}
	args = append(args, j.SweepArgs...)
	args = append(args, "--shard", "$(JOB_COMPLETION_INDEX)/"+strconv.Itoa(j.Shards),
		"--out", dir+"/part-$(JOB_COMPLETION_INDEX)", "--quiet")
	j.Args = quoteAll(args)
	margs := []string{"merge"}
	for i := range j.Shards {
		margs = append(margs, dir+"/part-"+strconv.Itoa(i))
	}
	margs = append(margs, "--out", dir+"/merged")
	j.MergeArgs = quoteAll(margs)
	if sweepYAML, err = execute("sweep-job.yaml", sweepJob, j); err != nil {
		return nil, nil, err
	}
	mergeYAML, err = execute("merge-job.yaml", mergeJob, j)
	return sweepYAML, mergeYAML, err
}

func execute(name, text string, j Job) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, j); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// quoteAll makes each arg a YAML double-quoted scalar (JSON string syntax
// is valid YAML).
func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		b, _ := json.Marshal(a) // a string always marshals
		out[i] = string(b)
	}
	return out
}
