package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
)

func newCmdRoot(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "clustersim",
		Short: "Deterministic discrete-event simulator of service clusters",
		Long: `clustersim replays a TOML scenario — clients, load balancers, instances that
start, warm up, saturate and fail, autoscalers — and writes latency
percentiles, time series, plots and an HTML report. The same scenario and
seed always give byte-identical summary.json and timeseries.csv.

Exit status: 0 on success, 1 when a run fails or an assertion or baseline
comparison fails, 2 for bad input (usage, flags, scenario files), 130 or
143 when interrupted by SIGINT or SIGTERM.`,
		Example: `  clustersim run                          # the built-in default scenario
  clustersim run scenarios/mm1.toml --out out/mm1
  clustersim run flash-sale --set service.api.autoscaler.target=0.4
  clustersim validate scenarios/*.toml
  clustersim check scenarios/*.toml       # CI: exit 1 when an assertion fails
  clustersim explain service.autoscaler   # the reference of a scenario key
  clustersim compare out/a out/b          # compare.csv and compare.html`,
		Version: version,
		// Without a subcommand: help; with an unknown one: a usage error.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %q?)", s[0])
			}
			return badInput(errors.New(msg + "; run 'clustersim --help' for the commands"))
		},
		SilenceUsage:               true,
		SilenceErrors:              true,
		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetOut(f.out)
	root.SetErr(f.errOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError(cmd, err) })
	addLimitFlags(root, f)
	root.AddCommand(newCmdRun(f), newCmdValidate(f), newCmdCheck(f), newCmdExplain(f), newCmdVersion(f), newCmdCompare(f))
	root.AddCommand(newCmdSweep(f), newCmdMerge(f), newCmdSchema(f), newCmdScenarios(f), newCmdNew(f)) // issue 16
	for _, c := range root.Commands() {
		if c.Args != nil {
			c.Args = badArgs(c.Args)
		}
	}
	return root
}

// versionLine is what `clustersim version` and `clustersim --version`
// print.
func versionLine() string {
	return fmt.Sprintf("clustersim %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// badArgs makes a positional-argument check's failure a usage error
// (exit 2).
func badArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError(cmd, err)
		}
		return nil
	}
}

// usageError is a bad-input error naming the command and its usage line.
func usageError(cmd *cobra.Command, err error) error {
	use := strings.TrimSuffix(cmd.UseLine(), " [flags]")
	return badInput(fmt.Errorf("%s: %w (usage: %s)", cmd.Name(), err, use))
}
