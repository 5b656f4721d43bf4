package scenario_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/clustersim/clustersim/sim/scenario"
)

// FuzzParseScenario checks, on any input, that Parse does not panic, that
// every error is located (file, line and, beyond syntax errors, key), and
// that an accepted scenario, written back out as TOML, parses to the same
// Config.
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
	})
}
