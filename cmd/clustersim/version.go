package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCmdVersion(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version (also: clustersim --version)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(f.out, versionLine())
			return err
		},
	}
}
