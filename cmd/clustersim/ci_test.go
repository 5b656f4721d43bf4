package main_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// passFail is okScenario with one assertion that holds (line 15) and one
// that fails (line 20).
const passFail = okScenario + `
[[assert]]
name = "p99 is sane"
metric = "latency_ms.p99"
max = 1000

[[assert]]
name = "impossible throughput"
metric = "throughput_rps"
min = 1000
`

// TestCheckTable: the PASS/FAIL table prints figures to 3 significant
// digits and --assert rows beside the file's (golden: testdata/check.txt).
func TestCheckTable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pf.toml")
	if err := os.WriteFile(file, []byte(passFail), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "check", "pf.toml", "--assert", "requests.total>=100", "--assert", "latency_ms.p50<1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GITHUB_ACTIONS=")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1\n%s", err, out)
	}
	checkGolden(t, "check.txt", string(out))
}

// TestCheckNoAssertions: a scenario without asserts says so, instead of
// "all assertions hold".
func TestCheckNoAssertions(t *testing.T) {
	out, stderr, code := run(t, "check", writeScenario(t, okScenario))
	if code != 0 || !strings.HasSuffix(out, "\nno assertions\n") || strings.Contains(out, "hold") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
}

// TestCLIAssert: --assert adds an assertion per operator; the exit code
// follows the result.
func TestCLIAssert(t *testing.T) {
	file := writeScenario(t, okScenario)
	tests := []struct {
		expr string
		code int
	}{
		{"requests.total>=100", 0}, {"requests.total<=100", 1},
		{"requests.total>100", 0}, {"requests.total<100", 1},
		{"requests.rejected==0", 0}, {"requests.rejected==1", 1},
		{"requests.rejected<0", 1}, {"requests.rejected<=0", 0},
		{" latency_ms.p99 <= 1000 ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			out, stderr, code := run(t, "check", file, "--assert", tt.expr)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, stderr)
			}
			if !strings.Contains(out, strings.TrimSpace(tt.expr)) {
				t.Errorf("table lacks the assertion:\n%s", out)
			}
		})
	}
}

// TestGitHubAnnotations: under GitHub Actions a failing assertion is also
// an ::error annotation on its [[assert]] line; a passing one is not.
func TestGitHubAnnotations(t *testing.T) {
	file := writeScenario(t, passFail)
	out, _, code := runEnv(t, []string{"GITHUB_ACTIONS=true"}, "check", file, "--assert", "requests.total<1")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	want := []string{
		"::error file=" + file + ",line=20,title=assertion failed%3A impossible throughput::throughput_rps = ",
		"::error file=" + file + ",title=assertion failed%3A requests.total<1::requests.total = ",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Count(out, "::error") != 2 {
		t.Errorf("want 2 annotations:\n%s", out)
	}
	if out, _, _ := run(t, "check", file); strings.Contains(out, "::error") {
		t.Errorf("annotations outside GitHub Actions:\n%s", out)
	}
}

// TestJUnit: the JUnit report validates against testdata/junit.xsd (with
// xmllint, which .ci/run installs), carries times, the seed and scenario
// as properties, and failures with value and limit.
func TestJUnit(t *testing.T) {
	report := filepath.Join(t.TempDir(), "junit.xml")
	broken := writeScenario(t, "[sim]\nduration = \n")
	_, stderr, code := run(t, "check", writeScenario(t, passFail), broken, "--junit", report, "--seed", "7")
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	data := read(t, report)
	var doc struct {
		Time   string `xml:"time,attr"`
		Suites []struct {
			Time  string `xml:"time,attr"`
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Time    string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Time == "" || len(doc.Suites) != 2 || doc.Suites[0].Time == "" || len(doc.Suites[0].Cases) != 2 {
		t.Fatalf("unexpected report:\n%s", data)
	}
	props := map[string]string{}
	for _, p := range doc.Suites[0].Props {
		props[p.Name] = p.Value
	}
	if props["seed"] != "7" || props["scenario"] != "s" {
		t.Errorf("properties %v, want seed 7 and scenario s", props)
	}
	if f := doc.Suites[0].Cases[1].Failure; f == nil || !strings.HasPrefix(f.Message, "throughput_rps = ") || !strings.HasSuffix(f.Message, " (limit >= 1000)") {
		t.Errorf("failure %+v lacks value and limit", f)
	}
	if e := doc.Suites[1].Cases[0].Error; e == nil || !strings.Contains(e.Message, broken) {
		t.Errorf("broken scenario's error %+v", e)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian: libxml2-utils; .ci/run installs it): schema not checked")
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), report).CombinedOutput(); err != nil {
		t.Errorf("JUnit report does not validate: %v\n%s\n%s", err, out, data)
	}
}

// TestBaseline: --update-baseline writes the baseline; the same run
// passes; a slower service regresses (exit 1, table in
// testdata/baseline-regressed.txt); a check --out folder is a baseline.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "svc.toml")
	if err := os.WriteFile(file, []byte(okScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"check", "svc.toml"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GITHUB_ACTIONS=")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	out, stderr, code := check("--baseline", "base", "--update-baseline")
	if code != 0 || !strings.Contains(out, "baseline updated: base/svc/summary.json") {
		t.Fatalf("update: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := check("--baseline", "base"); code != 0 || strings.Contains(out, "REGRESSED") {
		t.Errorf("same run: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = check("--baseline", "base", "--tolerance", "10%", "--set", "workload.w.service_time.mean=12ms")
	if code != 1 || !strings.Contains(stderr, "regressed beyond the 10% tolerance") {
		t.Errorf("slower run: exit %d, want 1\n%s", code, stderr)
	}
	checkGolden(t, "baseline-regressed.txt", out)
	// A single summary.json, and the folder of an earlier check --out.
	if _, stderr, code := check("--baseline", "base/svc/summary.json"); code != 0 {
		t.Errorf("file baseline: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := check("--out", "prev", "-q"); code != 0 {
		t.Fatalf("check --out: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := check("--baseline", "prev"); code != 0 {
		t.Errorf("check --out folder as baseline: exit %d\n%s", code, stderr)
	}
}
