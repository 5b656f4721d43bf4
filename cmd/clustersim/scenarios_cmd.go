package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/scenarios"
)

func newCmdScenarios(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the scenario library built into clustersim, with what each one shows",
		Long: `Scenarios lists the library scenarios embedded in the binary, each with the
first sentence of its opening comment. Run one by name
('clustersim run flash-sale'), read it with 'clustersim new NAME --from
SCENARIO', or sweep it ('clustersim sweep flash-sale --param ...').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(f.out, 2, 4, 2, ' ', 0)
			for _, name := range scenarios.Names() {
				data, err := fs.ReadFile(scenarios.FS, name+".toml")
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\n", name, describe(data))
			}
			return tw.Flush()
		},
	}
}

// describe returns the first sentence of a scenario's opening comment
// block (its first paragraph of "# " lines), on one line.
func describe(src []byte) string {
	var para []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "#") {
			break
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		if text == "" {
			if len(para) > 0 {
				break
			}
			continue
		}
		para = append(para, text)
	}
	s := strings.Join(para, " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}
