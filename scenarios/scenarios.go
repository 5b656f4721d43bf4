// Package scenarios embeds the scenario library, so the clustersim binary
// can run any library scenario by name and the default one with no
// arguments.
package scenarios

import (
	"embed"
	"io/fs"
	"slices"
	"strings"
)

// FS holds every *.toml file of the library, and the trace files
// (*.csv) its scenarios replay.
//
//go:embed *.toml *.csv
var FS embed.FS

// Default is the scenario `clustersim run` uses when given none.
const Default = "default.toml"

// Names returns the library's scenario names, sorted, without ".toml".
func Names() []string {
	entries, _ := fs.ReadDir(FS, ".")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".toml"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
