package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/reports/sweep"
)

func newCmdMerge(f *factory) *cobra.Command {
	var out string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Join the parts of a sharded sweep (sweep --shard I/N) into the sweep's outputs",
		Long: `Merge reads the parts written by 'clustersim sweep ... --shard I/N' for every
I from 0 to N-1 (each folder holding sweep.json and sweep.csv) and writes to
--out exactly what the same sweep run unsharded writes: sweep.json,
sweep.csv, sweep-summary.csv, the plots and sweep.html. Every part must
come from the same sweep (same scenario, parameters, seeds and --set), and
every shard must be there once.`,
		Example: `  clustersim sweep flash-sale --param service.api.autoscaler.target=0.5,0.7 --seeds 20 --shard 0/2 --out part-0
  clustersim sweep flash-sale --param service.api.autoscaler.target=0.5,0.7 --seeds 20 --shard 1/2 --out part-1
  clustersim merge part-0 part-1 --out out/sweep`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := stageDir(out)
			if err != nil {
				return err
			}
			plan, _, err := sweep.Merge(args, st.tmp)
			if err != nil {
				st.Abort()
				return badInput(err)
			}
			if err := st.Commit(); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(f.out, "%s (%s × %s) from %s; outputs: %s (open %s)\n",
					plural(plan.Runs(), "run"), plural(plan.Points(), "grid point"), plural(len(plan.Seeds), "seed"), plural(len(args), "part"), out, filepath.Join(out, sweep.HTMLFile))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "out/sweep", "directory for the merged outputs")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}
