package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/sim/scenario"
)

// ValidateOptions are the arguments of `clustersim validate`.
type ValidateOptions struct {
	Files []string
	Sets  []string
}

func newCmdValidate(f *factory) *cobra.Command {
	opts := &ValidateOptions{}
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files without running them",
		Long: `Validate parses each scenario strictly and reports every problem it finds —
unknown keys (with a did-you-mean), wrong types, impossible values — naming
the file, line and key. Exits 2 if any file is invalid.`,
		Example: `  clustersim validate scenarios/*.toml
  clustersim validate my.toml --set service.api.replicas=0`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return validateRun(f, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Sets, "set", nil, "override a scenario key before validating (repeatable)")
	return cmd
}

func validateRun(f *factory, opts *ValidateOptions) error {
	bad := 0
	for _, file := range opts.Files {
		sc, err := scenario.LoadWith(file, opts.Sets, f.limits.scenario())
		if err == nil {
			_, _, err = scenario.Build(sc)
		}
		if err != nil {
			bad++
			fmt.Fprintln(f.errOut, err)
			continue
		}
		fmt.Fprintf(f.out, "ok  %s\n", file)
	}
	if bad > 0 {
		return badInput(errors.New(plural(bad, "invalid scenario file")))
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
