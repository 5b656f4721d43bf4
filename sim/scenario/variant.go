package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Variant is one [[variant]] entry: a named configuration compared with the
// scenario's other variants on the same traffic. Every variant runs with the
// same seed and the same named random streams, so arrivals and service times
// are identical across variants and differences come from the configuration
// alone (common random numbers).
type Variant struct {
	// Name identifies the variant and names its output folder; required,
	// unique, [A-Za-z0-9_-]+.
	Name string `toml:"name"`
	// Set holds overrides in the --set syntax ("KEY=VALUE"), applied in
	// order after the command line's; optional (none: the scenario as
	// written).
	Set []string `toml:"set,omitempty"`
	// Config is the scenario with this variant's overrides applied; filled
	// by Parse.
	Config *Config `toml:"-"`
}

// ErrVariant marks a [[variant]] whose overrides would break the pairing of
// variants or do not apply.
var ErrVariant = errors.New("scenario: bad variant")

// fixedKeys are the keys variants must share: the clock and the seed. Entry
// names are fixed too (see pairedKey), since random streams are named after
// them.
var fixedKeys = []string{"sim.seed", "sim.duration", "sim.warmup", "sim.window"}

// validateVariants checks the [[variant]] entries and the variant keys of
// [[assert]] entries.
func (d *checker) validateVariants(cfg *Config) {
	vp := tomlpos.Path{}.Child("variant")
	first := map[string]tomlpos.Path{}
	var names []string
	for i, v := range cfg.Variants {
		p := vp.Elem(i, v.Name)
		if d.checkName(v.Name, p, first) {
			names = append(names, v.Name)
		}
		for j, arg := range v.Set {
			if msg := pairedKey(arg); msg != "" {
				d.Errorf(ErrVariant, p.Child("set").Elem(j, ""), "variants share the seed, the clock and entry names so that they see the same random draws", "%s", msg)
			}
		}
	}
	ap := tomlpos.Path{}.Child("assert")
	for i, a := range cfg.Asserts {
		if a.Variant == "" || slices.Contains(names, a.Variant) {
			continue
		}
		p := ap.Elem(i, a.Name).Child("variant")
		if len(cfg.Variants) == 0 {
			d.Errorf(ErrReference, p, "declare [[variant]] entries, or drop the key", "no [[variant]] named %q: the scenario has no variants", a.Variant)
			continue
		}
		d.Errorf(ErrReference, p, tomlpos.DidYouMean(a.Variant, names), "no [[variant]] named %q", a.Variant)
	}
}

// pairedKey returns why the override arg may not appear in a variant, or "".
func pairedKey(arg string) string {
	key, _, _ := strings.Cut(arg, "=")
	key = strings.TrimSpace(key)
	segs := strings.Split(key, ".")
	switch {
	case slices.Contains(fixedKeys, key):
		return fmt.Sprintf("a variant may not change %s", key)
	case segs[0] == "variant":
		return "a variant may not change the variants"
	case len(segs) > 1 && segs[len(segs)-1] == "name" && segs[0] != "sim" && segs[0] != "assert":
		return fmt.Sprintf("a variant may not rename an entry (%s): random streams are named after entries", key)
	}
	return ""
}

// resolveVariants parses the scenario once per variant, with the variant's
// overrides after the command line's, and stores each result in its
// Variant.Config. Errors name the variant and the line of its entry.
func resolveVariants(cfg *Config, base *checker, data []byte, overrides []string, lim Limits) error {
	var all ErrorList
	for i := range cfg.Variants {
		v := &cfg.Variants[i]
		sets := append(slices.Clip(overrides), v.Set...)
		vc, _, err := parse(cfg.File, data, sets, lim)
		if err != nil {
			all = append(all, variantErrors(err, cfg.File, i, v, base, overrides)...)
			continue
		}
		vc.Variants = nil
		vc.Variant = v.Name
		if vc.Sim.Name == cfg.Sim.Name {
			vc.Sim.Name = cfg.Sim.Name + "/" + v.Name
		}
		vc.Asserts = slices.DeleteFunc(vc.Asserts, func(a Assert) bool { return a.Variant != "" && a.Variant != v.Name })
		v.Config = vc
	}
	if len(all) > 0 {
		return all
	}
	return nil
}

// variantErrors relocates the errors of variant i's parse: an error about
// one of its overrides points at that entry of the file (key
// variant.NAME.set[J]); every other error says which variant it arose in.
func variantErrors(err error, file string, i int, v *Variant, base *checker, overrides []string) ErrorList {
	var list ErrorList
	if !errors.As(err, &list) {
		return ErrorList{{File: file, Key: "variant." + v.Name, Msg: err.Error(), Kind: ErrVariant}}
	}
	out := make(ErrorList, 0, len(list))
	for _, e := range list {
		c := *e
		j := slices.IndexFunc(v.Set, func(s string) bool { return e.File == "--set "+s })
		if j >= 0 && !slices.Contains(overrides, v.Set[j]) {
			p := tomlpos.Path{}.Child("variant").Elem(i, v.Name).Child("set").Elem(j, "")
			c.File, c.Line, c.Col = file, base.Line(p), 0
			msg := c.Msg
			if c.Key != "" {
				msg = c.Key + ": " + msg
			}
			c.Key, c.Msg = "variant."+v.Name+".set["+strconv.Itoa(j)+"]", msg
		} else {
			c.Msg = fmt.Sprintf("in variant %q: %s", v.Name, c.Msg)
		}
		out = append(out, &c)
	}
	return out
}
