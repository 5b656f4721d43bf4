package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestEmitJobRunsTheSweep plays the Kubernetes Job controller: it takes
// the manifest `sweep --emit-job` prints, decodes it with the API types,
// runs each pod's container args with JOB_COMPLETION_INDEX set as the
// Job controller sets it (0 .. completions-1; $(VAR) expanded as the
// kubelet expands args, kubernetes.io/docs/tasks/inject-data-application/
// define-command-argument-container/#use-environment-variables-to-define-arguments),
// the ConfigMap's scenario at /scenario and a folder as /results, then
// the merge Job's args, and checks the result is byte-identical to the
// sweep run on one machine.
func TestEmitJobRunsTheSweep(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	sweepArgs := []string{"--param", "workload.clients.rate=40,70", "--param", "sim.duration=4m", "--seeds", "2"}
	stdout, stderr, code := run(t, append([]string{"sweep", file, "--emit-job", "--job-shards", "3", "--job-name", "Test_Sweep"}, sweepArgs...)...)
	if code != 0 {
		t.Fatalf("emit-job: exit %d: %s", code, stderr)
	}
	parts := strings.Split(stdout, "\n---\n")
	if len(parts) != 2 {
		t.Fatalf("%d documents", len(parts))
	}
	var cm corev1.ConfigMap
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(parts[0]+"\n"), &cm); err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict([]byte(parts[1]), &job); err != nil {
		t.Fatal(err)
	}
	if job.Name != "test-sweep" || *job.Spec.Completions != 3 || *job.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("job %s: completions %d, mode %s", job.Name, *job.Spec.Completions, *job.Spec.CompletionMode)
	}
	root := t.TempDir()
	scen := filepath.Join(root, "scenario")
	results := filepath.Join(root, "results")
	os.MkdirAll(scen, 0o755)
	for name, data := range cm.Data {
		if err := os.WriteFile(filepath.Join(scen, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mount := func(a string) string {
		a = strings.Replace(a, "/scenario/", scen+"/", 1)
		return strings.Replace(a, "/results/", results+"/", 1)
	}
	for i := range int(*job.Spec.Completions) {
		var args []string
		for _, a := range job.Spec.Template.Spec.Containers[0].Args {
			args = append(args, mount(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))))
		}
		if _, stderr, code := run(t, args...); code != 0 {
			t.Fatalf("pod %d %v: exit %d: %s", i, args, code, stderr)
		}
	}
	stdout, _, _ = run(t, append([]string{"sweep", file, "--emit-job", "--job-merge", "--job-shards", "3", "--job-name", "Test_Sweep"}, sweepArgs...)...)
	var merge batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(stdout), &merge); err != nil {
		t.Fatal(err)
	}
	var margs []string
	for _, a := range merge.Spec.Template.Spec.Containers[0].Args {
		margs = append(margs, mount(a))
	}
	if _, stderr, code := run(t, margs...); code != 0 {
		t.Fatalf("merge %v: exit %d: %s", margs, code, stderr)
	}
	// The same sweep on one machine, from the same scenario path.
	whole := filepath.Join(root, "whole")
	args := append([]string{"sweep", filepath.Join(scen, filepath.Base(file))}, sweepArgs...)
	args = append(args, "--seed", "11", "--parallel", "1", "--quiet", "--out", whole)
	if _, stderr, code := run(t, args...); code != 0 {
		t.Fatalf("sweep: %s", stderr)
	}
	a, b := tree(t, whole), tree(t, filepath.Join(results, "test-sweep", "merged"))
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between the Job's merged output and the sweep on one machine", name)
		}
	}
}
