package tomlpos

// DurationPattern is a regular expression (ECMA 262, as JSON Schema uses)
// matching exactly the strings ParseDuration accepts, up to range: an
// optional "+", then one or more decimal numbers each with a unit.
// TestDurationPattern keeps it in step with ParseDuration and units.
const DurationPattern = `^\+?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h|d))+$`
