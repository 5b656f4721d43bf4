package deploy

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// docs splits a multi-document YAML stream.
func docs(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for d := range bytes.SplitSeq(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, append(d, '\n'))
		}
	}
	return out
}

const scenarioSrc = `# a scenario
[sim]
name = "x"

[[workload]]
name = "w"   # "quoted": colons too
`

// TestRenderIsAnIndexedJob decodes the rendered manifests strictly (no
// unknown field) into the Kubernetes API types and checks what the
// Indexed Job documentation (kubernetes.io/docs/concepts/workloads/
// controllers/job/#completion-mode) requires of it: completionMode
// Indexed, one completion per shard, restartPolicy Never or OnFailure,
// the pod reading its index from JOB_COMPLETION_INDEX (the
// batch.kubernetes.io/job-completion-index annotation).
func TestRenderIsAnIndexedJob(t *testing.T) {
	sweepArgs := []string{"--param", "service.api.autoscaler.target=0.3:0.9:0.1", "--seeds", "100", "--set", `assert."p99 ok".max=300`}
	sw, mg, err := Render(Job{
		Name: "clustersim-sweep-flash-sale", Image: "registry.example/clustersim:v1", Shards: 50, Parallelism: 20,
		CPU: "2", Claim: "results", ScenarioFile: "flash-sale.toml", Scenario: []byte(scenarioSrc), SweepArgs: sweepArgs,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := docs(t, sw)
	if len(d) != 2 {
		t.Fatalf("sweep manifest has %d documents, want a ConfigMap and a Job", len(d))
	}
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict(d[0], &cm); err != nil {
		t.Fatalf("ConfigMap: %v\n%s", err, d[0])
	}
	if cm.Kind != "ConfigMap" || cm.APIVersion != "v1" || cm.Data["flash-sale.toml"] != scenarioSrc {
		t.Errorf("ConfigMap %s/%s holds %q", cm.APIVersion, cm.Kind, cm.Data["flash-sale.toml"])
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(d[1], &job); err != nil {
		t.Fatalf("Job: %v\n%s", err, d[1])
	}
	s := job.Spec
	switch {
	case job.APIVersion != "batch/v1" || job.Kind != "Job":
		t.Errorf("apiVersion/kind = %s/%s", job.APIVersion, job.Kind)
	case s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion:
		t.Errorf("completionMode = %v, want Indexed", s.CompletionMode)
	case s.Completions == nil || *s.Completions != 50:
		t.Errorf("completions = %v, want 50", s.Completions)
	case s.Parallelism == nil || *s.Parallelism != 20:
		t.Errorf("parallelism = %v, want 20", s.Parallelism)
	case s.Template.Spec.RestartPolicy != corev1.RestartPolicyNever:
		t.Errorf("restartPolicy = %s", s.Template.Spec.RestartPolicy)
	case s.BackoffLimitPerIndex == nil || s.MaxFailedIndexes == nil:
		t.Error("no per-index backoff")
	}
	if len(s.Template.Spec.Containers) != 1 {
		t.Fatalf("%d containers", len(s.Template.Spec.Containers))
	}
	c := s.Template.Spec.Containers[0]
	if c.Image != "registry.example/clustersim:v1" {
		t.Errorf("image = %s", c.Image)
	}
	var env *corev1.EnvVar
	for i := range c.Env {
		if c.Env[i].Name == "JOB_COMPLETION_INDEX" {
			env = &c.Env[i]
		}
	}
	if env == nil || env.ValueFrom == nil || env.ValueFrom.FieldRef == nil ||
		env.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("JOB_COMPLETION_INDEX env = %+v", env)
	}
	wantArgs := append(append([]string{"sweep", "/scenario/flash-sale.toml"}, sweepArgs...),
		"--shard", "$(JOB_COMPLETION_INDEX)/50", "--out", "/results/clustersim-sweep-flash-sale/part-$(JOB_COMPLETION_INDEX)", "--quiet")
	if !slices.Equal(c.Args, wantArgs) {
		t.Errorf("args = %q\nwant %q", c.Args, wantArgs)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	vols := map[string]corev1.Volume{}
	for _, v := range s.Template.Spec.Volumes {
		vols[v.Name] = v
	}
	if mounts["scenario"] != "/scenario" || vols["scenario"].ConfigMap == nil || vols["scenario"].ConfigMap.Name != cm.Name {
		t.Errorf("the scenario ConfigMap %s is not mounted at /scenario", cm.Name)
	}
	if mounts["results"] != "/results" || vols["results"].PersistentVolumeClaim == nil || vols["results"].PersistentVolumeClaim.ClaimName != "results" {
		t.Error("the results claim is not mounted at /results")
	}
	if q := c.Resources.Requests[corev1.ResourceCPU]; q.String() != "2" {
		t.Errorf("cpu request = %s", q.String())
	}

	var merge batchv1.Job
	md := docs(t, mg)
	if len(md) != 1 {
		t.Fatalf("merge manifest has %d documents", len(md))
	}
	if err := yaml.UnmarshalStrict(md[0], &merge); err != nil {
		t.Fatalf("merge Job: %v\n%s", err, md[0])
	}
	margs := merge.Spec.Template.Spec.Containers[0].Args
	if len(margs) != 1+50+2 || margs[0] != "merge" || margs[1] != "/results/clustersim-sweep-flash-sale/part-0" ||
		margs[50] != "/results/clustersim-sweep-flash-sale/part-49" || !strings.HasSuffix(margs[52], "/merged") {
		t.Errorf("merge args = %q", margs)
	}
	if merge.Spec.CompletionMode != nil && *merge.Spec.CompletionMode == batchv1.IndexedCompletion {
		t.Error("the merge Job is indexed")
	}
}

func TestRenderRejects(t *testing.T) {
	if _, _, err := Render(Job{Shards: 0, Parallelism: 1}); err == nil {
		t.Error("0 shards accepted")
	}
}
