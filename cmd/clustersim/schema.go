package main

import (
	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/sim/scenario"
)

func newCmdSchema(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the scenario format (for editors: Taplo, Even Better TOML)",
		Long: `Schema prints a JSON Schema (draft-07) of the scenario file format, generated
from the same definitions as the parser and 'clustersim explain': every
key with its type, valid values, default and description. Editors with
TOML schema support complete and check scenario files with it, e.g. with
Taplo: a "#:schema ./scenario.schema.json" first line, or in .taplo.toml
  [[rule]]
  include = ["scenarios/*.toml"]
  schema.path = "scenario.schema.json"
The schema checks keys, types, enumerations and durations; checks across
keys (references, bounds) are 'clustersim validate''s.`,
		Example: `  clustersim schema > scenario.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := scenario.JSONSchema()
			if err != nil {
				return err
			}
			_, err = f.out.Write(data)
			return err
		},
	}
}
