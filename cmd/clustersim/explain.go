package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/sim/scenario"
)

// ExplainOptions are the arguments of `clustersim explain`.
type ExplainOptions struct {
	Key string // dotted key; "" for the top-level tables
}

func newCmdExplain(f *factory) *cobra.Command {
	opts := &ExplainOptions{}
	return &cobra.Command{
		Use:   "explain [KEY]",
		Short: "Print the reference of a scenario key: type, default and meaning",
		Long: `Explain prints the reference of a scenario key, as kubectl explain does for
Kubernetes objects: its type, valid values, default and meaning, and the
keys of a table. KEY is a dotted path as in --set (entry names may be left
out). Without KEY it lists the top-level tables. The text comes from the
same source as ` + "`go doc ./sim/scenario`" + `, so the two cannot disagree.`,
		Example: `  clustersim explain
  clustersim explain service
  clustersim explain service.autoscaler.behavior
  clustersim explain workload.service_time`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Key = args[0]
			}
			return explainRun(f, opts)
		},
	}
}

func explainRun(f *factory, opts *ExplainOptions) error {
	kd, err := scenario.Explain(opts.Key)
	if errors.Is(err, scenario.ErrUnknownExplainKey) {
		return badInput(err)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(f.out, kd.Format())
	return err
}
