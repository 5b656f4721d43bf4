package main

import (
	"github.com/spf13/cobra"
)

func newCmdRoot(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "clustersim",
		Short: "Deterministic discrete-event simulator of service clusters",
		Long: `clustersim replays a TOML scenario — clients, load balancers, instances that
start, warm up, saturate and fail, autoscalers — and writes latency
percentiles, time series, plots and an HTML report. The same scenario and
seed always give byte-identical summary.json and timeseries.csv.`,
		Example: `  clustersim run                          # the built-in default scenario
  clustersim run scenarios/mm1.toml --out out/mm1
  clustersim run flash-sale --set service.api.autoscaler.target=0.4
  clustersim validate scenarios/*.toml
  clustersim check scenarios/*.toml       # CI: exit 1 when an assertion fails`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(f.out)
	root.SetErr(f.errOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err) })
	addLimitFlags(root, f)
	root.AddCommand(newCmdRun(f), newCmdValidate(f), newCmdCheck(f), newCmdVersion(f))
	return root
}
