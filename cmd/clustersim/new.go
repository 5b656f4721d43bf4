package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/scenarios"
	"github.com/clustersim/clustersim/sim/scenario"
)

func newCmdNew(f *factory) *cobra.Command {
	var from string
	var force bool
	cmd := &cobra.Command{
		Use:   "new NAME [--from SCENARIO]",
		Short: "Start a scenario file from a library scenario",
		Long: `New writes NAME.toml (NAME may be a path; ".toml" is added when missing), a
copy of the library scenario --from (default: the default scenario) with
its [sim] name set to NAME's base name. It refuses to replace an existing
file unless --force. 'clustersim scenarios' lists the library.`,
		Example: `  clustersim new my-sale --from flash-sale
  clustersim run my-sale.toml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return newScenario(f, args[0], from, force)
		},
	}
	cmd.Flags().StringVar(&from, "from", strings.TrimSuffix(scenarios.Default, ".toml"), "the library scenario to copy")
	cmd.Flags().BoolVar(&force, "force", false, "replace NAME.toml if it exists")
	return cmd
}

// simName matches the name key of the [sim] table (the first name = line
// after [sim]).
var simName = regexp.MustCompile(`(?m)^(\[sim\][^\[]*?^name\s*=\s*)"[^"\n]*"`)

func newScenario(f *factory, name, from string, force bool) error {
	file := name
	if !strings.HasSuffix(file, ".toml") {
		file += ".toml"
	}
	base := strings.TrimSuffix(from, ".toml")
	src, err := fs.ReadFile(scenarios.FS, base+".toml")
	if err != nil {
		return badInput(fmt.Errorf("--from %s: no library scenario of that name (library: %s)", from, strings.Join(scenarios.Names(), ", ")))
	}
	simBase := strings.TrimSuffix(filepath.Base(file), ".toml")
	if simName.Match(src) {
		src = simName.ReplaceAll(src, []byte(fmt.Sprintf("${1}%q", simBase)))
	}
	lim := scenario.DefaultLimits()
	lim.Files = scenarios.FS // the library's traces, copied beside it below
	cfg, err := scenario.ParseWith(file, src, nil, lim)
	if err != nil {
		return fmt.Errorf("the copy of %s does not parse: %w", from, err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	if dir := filepath.Dir(file); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	fh, err := os.OpenFile(file, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return badInput(fmt.Errorf("%s exists; choose another name or pass --force", file))
	}
	if err != nil {
		return err
	}
	if _, err := fh.Write(src); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	fmt.Fprintf(f.out, "wrote %s (from %s); run it with: clustersim run %s\n", file, base, file)
	return copyTraces(f, cfg, filepath.Dir(file))
}

// copyTraces writes the library traces cfg replays into dir, beside the
// new scenario, keeping any file already there.
func copyTraces(f *factory, cfg *scenario.Config, dir string) error {
	for _, w := range cfg.Workloads {
		if w.TraceInfo.FS == nil {
			continue
		}
		data, err := fs.ReadFile(w.TraceInfo.FS, w.TraceInfo.Path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(w.TraceInfo.Path))
		fh, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(f.out, "kept %s (exists)\n", dst)
			continue
		}
		if err != nil {
			return err
		}
		if _, err := fh.Write(data); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
		fmt.Fprintf(f.out, "wrote %s (its trace)\n", dst)
	}
	return nil
}
