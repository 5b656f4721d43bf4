// Package tomlpos decodes a TOML document into a Go struct and reports
// every problem at once, each with its file, line, column and dotted key,
// in a deterministic order: unknown keys (with the nearest valid key),
// wrong types, values outside an enumeration. It applies --set style
// "KEY=VALUE" overrides that name array entries by their name field,
// records which keys were written so that validation can tell "omitted"
// from "zero", and parses durations ("150ms", "1h30m"). It knows nothing
// of what the document describes: the caller's Schema names the
// enumerations and table defaults, and the caller validates the result
// through the same Decoder, so its errors are located too.
//
// Usage (Example shows it whole):
//
//	dec, err := tomlpos.New(file, data, schema) // err: a syntax error
//	cfg := defaultConfig()
//	dec.Decode(&cfg, overrides)
//	if cfg.Rate < 0 {
//		dec.Errorf(tomlpos.ErrInvalid, tomlpos.Path{}.Child("rate"), "", "must be >= 0")
//	}
//	if err := dec.Err(); err != nil { ... } // an ErrorList, one problem a line
package tomlpos
