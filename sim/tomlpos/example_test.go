package tomlpos_test

import (
	"fmt"
	"reflect"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

// config is a small document: a timeout and an array of named pools.
type config struct {
	Timeout tomlpos.Duration `toml:"timeout"`
	Pools   []pool           `toml:"pool"`
}

type pool struct {
	Name string `toml:"name"`
	Size int    `toml:"size"`
	Mode mode   `toml:"mode"`
}

type mode string

var schema = tomlpos.Schema{
	Enums: map[reflect.Type][]string{reflect.TypeFor[mode](): {"fast", "safe"}},
	Defaults: func(t reflect.Type) reflect.Value {
		if t == reflect.TypeFor[pool]() {
			return reflect.ValueOf(pool{Size: 1, Mode: "safe"})
		}
		return reflect.Value{}
	},
	OverrideExample: "for example --set pool.a.size=2",
}

// Example decodes a document with three mistakes and an override, then
// validates a field through the same decoder: every problem is reported,
// located, in line order, overrides last.
func Example() {
	src := `timeout = "2x"

[[pool]]
name = "a"
sise = 3

[[pool]]
name = "b"
mode = "fsat"
`
	dec, err := tomlpos.New("pools.toml", []byte(src), schema)
	if err != nil {
		panic(err) // a syntax error
	}
	var cfg config
	dec.Decode(&cfg, []string{"pool.b.size=-1"})
	for i, p := range cfg.Pools {
		at := tomlpos.Path{}.Child("pool").Elem(i, p.Name).Child("size")
		if p.Size < 0 {
			dec.Errorf(tomlpos.ErrInvalid, at, "", "must be >= 0, got %d", p.Size)
		}
	}
	fmt.Println(dec.Err())
	fmt.Println("pool a:", cfg.Pools[0].Size, cfg.Pools[0].Mode)
	// Output:
	// pools.toml:1:1: timeout: "2x": unknown unit in "x"; use a unit such as "250ms" or "2s"
	// pools.toml:5:1: pool.a.sise: unknown key (did you mean "size"?)
	// pools.toml:9:1: pool.b.mode: unknown value "fsat" (did you mean "fast"?)
	// --set pool.b.size=-1: pool.b.size: must be >= 0, got -1
	// pool a: 1 safe
}
