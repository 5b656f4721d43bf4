package scenario_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
	tracefile "github.com/clustersim/clustersim/sim/trace"
)

// FuzzParseScenario checks, on any input, that Parse does not panic, that
// every error is located (file, line and, beyond syntax errors, key), that
// an accepted scenario, written back out as TOML, parses to the same
// Config, and that Build and models.New take it without panicking.
func FuzzParseScenario(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.toml")
	library, _ := filepath.Glob("../../scenarios/*.toml")
	for _, name := range append(seeds, library...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(valid))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := scenario.Parse("testdata/fuzz.toml", data, nil)
		if err != nil {
			var list scenario.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %#v", err)
			}
			for _, e := range list {
				if e.File == "" || e.Line <= 0 || (e.Key == "" && !errors.Is(e, scenario.ErrSyntax)) {
					t.Errorf("error lacks file, line or key: %#v", e)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := scenario.Parse("testdata/fuzz.toml", buf.Bytes(), nil)
		if err != nil {
			t.Fatalf("accepted scenario does not re-parse: %v\n%s", err, buf.Bytes())
		}
		// Positions and source text differ in the re-encoded text; the
		// configs, the variants' included, must not.
		normalize := func(c *scenario.Config) {
			c.Source = nil
			for i := range c.Asserts {
				c.Asserts[i].Line = 0
			}
		}
		for _, c := range []*scenario.Config{cfg, again} {
			normalize(c)
			for _, v := range c.Variants {
				normalize(v.Config)
			}
		}
		if !reflect.DeepEqual(cfg, again) {
			t.Fatalf("re-parsed config differs:\n%+v\n%+v\n%s", cfg, again, buf.Bytes())
		}
		buildAndClose(t, cfg)
	})
}

// buildAndClose builds cfg's models, without running them or starting
// any external policy.
func buildAndClose(t *testing.T, cfg *scenario.Config) {
	t.Helper()
	for _, s := range cfg.Services {
		if s.Autoscaler != nil && s.Autoscaler.Kind == scenario.AutoscalerExternal {
			return // would start processes
		}
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		return
	}
	defer scenario.Close(mc)
	if _, err := models.New(mc); err != nil {
		return
	}
}

// librarySeeds returns the library's scenarios and the package's test
// scenarios.
func librarySeeds(f *testing.F) [][]byte {
	seeds, _ := filepath.Glob("testdata/*.toml")
	library, _ := filepath.Glob("../../scenarios/*.toml")
	var out [][]byte
	for _, name := range append(seeds, library...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzSet fuzzes --set overrides on each library scenario: no panic, and
// every error is located (an override error names the --set argument).
func FuzzSet(f *testing.F) {
	lib := librarySeeds(f)
	for i := range lib {
		for _, set := range []string{"sim.duration=1h", "service.api.replicas=5", "workload.shoppers.rate=300",
			"service.api.autoscaler.target=0.4", "sim.name=x", "service.api.autoscaler.max=1000000000", "assert.x.max=1"} {
			f.Add(uint8(i), set)
		}
	}
	f.Fuzz(func(t *testing.T, i uint8, set string) {
		data := lib[int(i)%len(lib)]
		cfg, err := scenario.Parse("testdata/fuzz.toml", data, []string{set})
		if err != nil {
			var list scenario.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				return // a file-level error, such as the library's own limits
			}
			for _, e := range list {
				if e.File == "" || e.Key == "" && !errors.Is(e, scenario.ErrSyntax) && !errors.Is(e, scenario.ErrOverride) {
					t.Errorf("error lacks file or key: %#v", e)
				}
			}
			return
		}
		buildAndClose(t, cfg)
	})
}

// FuzzTrace fuzzes a trace file's contents, read as each format (text,
// CSV, JSON lines): no panic, every error names the trace and a line, and
// an accepted trace, streamed again, holds as many records as parsing
// counted, sorted, finite and >= 0, ending at TraceInfo.End.
func FuzzTrace(f *testing.F) {
	for _, pattern := range []string{"testdata/*.txt", "testdata/*.csv", "testdata/*.jsonl", "../../scenarios/*.csv"} {
		seeds, _ := filepath.Glob(pattern)
		for _, name := range seeds {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("0\n0.5 # comment\n1e3\n"))
	f.Add([]byte("\x1b[2J1\n-1\nNaN\n"))
	f.Add([]byte("time,service_time,key\n0.5,0.01,3\n1,,\n2,0.2,999999\n"))
	f.Add([]byte("key,time\n1,0\n# c\n\n2,1e-3\n-1,2\n"))
	f.Add([]byte("time,user\n1,alice\n"))
	f.Add([]byte("{\"time\": 0.5, \"service_time\": 0.02, \"key\": 7}\n{\"time\": 1}\n"))
	f.Add([]byte("{\"time\": 1, \"endpoint\": \"/x\"}\n[1]\n{\"time\": 1e999}\n{} {}\n"))
	f.Add([]byte("time,user,endpoint\n0,0,search\n0.5,9999999,browse\n1,,\n2,3,serch\n3,-1,search\n4,1,\n"))
	f.Add([]byte("endpoint,time,key,user,service_time\nbrowse,0,1,2,0.01\n,1,,,\nsearch,1,1,10000000,0\n"))
	f.Add([]byte("{\"time\": 0, \"user\": 7, \"endpoint\": \"search\"}\n{\"time\": 1, \"endpoint\": 3}\n{\"time\": 2, \"user\": \"x\"}\n{\"time\": 3, \"endpoint\": \"Search\"}\n"))
	dir := f.TempDir()
	src := func(name string) []byte {
		return []byte("[sim]\nduration = \"10m\"\n[[workload]]\nname = \"w\"\ntarget = \"api\"\narrival = \"trace\"\n" +
			"trace = \"" + name + "\"\nservice_time = { dist = \"constant\", value = \"1ms\" }\n" +
			"endpoints = [{ name = \"search\" }, { name = \"browse\" }]\n[[service]]\nname = \"api\"\n")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"trace.txt", "trace.csv", "trace.jsonl"} {
			trace := filepath.Join(dir, name)
			if err := os.WriteFile(trace, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := scenario.Parse(filepath.Join(dir, "s.toml"), src(name), nil)
			if err != nil {
				var list scenario.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("not an ErrorList: %v", err)
				}
				for _, e := range list {
					if e.File == "" || e.Line <= 0 || e.Key == "" {
						t.Errorf("error lacks file, line or key: %#v", e)
					}
					if len(e.Error()) > 400 {
						t.Errorf("error quotes too much: %d bytes", len(e.Error()))
					}
				}
				continue
			}
			checkStreamed(t, cfg.Workloads[0].TraceInfo)
		}
	})
}

// checkStreamed reads an accepted trace again and checks it against what
// parsing found.
func checkStreamed(t *testing.T, info scenario.TraceInfo) {
	t.Helper()
	r, err := tracefile.Open(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.SetEndpoints([]string{"search", "browse"}) // FuzzTrace's workload's
	n, prev := int64(0), 0.0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("accepted trace fails when streamed: %v", err)
		}
		x := rec.Time
		if x < 0 || math.IsInf(x, 0) || math.IsNaN(x) || x < prev {
			t.Fatalf("accepted time %v after %v", x, prev)
		}
		prev = x
		n++
		if rec.User >= int64(info.Users) || rec.Endpoint > 1 || rec.Endpoint >= 0 && !info.Endpoints {
			t.Fatalf("accepted user %d, endpoint %d; parsing found users below %d, endpoints %v", rec.User, rec.Endpoint, info.Users, info.Endpoints)
		}
	}
	if n != info.Requests || prev != info.End {
		t.Fatalf("streamed %d records ending at %v, parsing counted %d ending at %v", n, prev, info.Requests, info.End)
	}
}
