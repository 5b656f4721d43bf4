package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Flags checked before anything runs (README, "Exit status"): a bad
// value is a usage error, exit 2, found before any scenario is parsed or
// run, so that a long check does not fail at its end over a typo.

// seedValue is the --seed flag: a TOML integer, 0 to 2^63-1, as sim.seed
// in a file. A larger number is refused when the flag is parsed.
type seedValue struct{ v *uint64 }

func (s seedValue) String() string { return strconv.FormatUint(*s.v, 10) }
func (s seedValue) Type() string   { return "uint63" }

func (s seedValue) Set(v string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 63)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return fmt.Errorf("out of range: a seed is an integer from 0 to %d, like sim.seed", uint64(math.MaxInt64))
		}
		return fmt.Errorf("not an integer from 0 to %d", uint64(math.MaxInt64))
	}
	*s.v = n
	return nil
}

// checkParallel refuses a --parallel below 1.
func checkParallel(n int) error {
	if n < 1 {
		return badInput(fmt.Errorf("--parallel %d: must be >= 1 (scenarios or variants run at once)", n))
	}
	return nil
}

// checkOutFlag refuses an --out that cannot hold outputs: empty, "." or
// "/", an existing file (or device, such as /dev/null), or a path under
// a file. run additionally refuses a folder of other files (replaceable).
func checkOutFlag(dir string, run bool) error {
	if strings.TrimSpace(dir) == "" {
		return badInput(errors.New(`--out "": name a folder for the outputs, such as out/run1`))
	}
	clean := filepath.Clean(dir)
	if b := filepath.Base(clean); b == "." || b == ".." || b == string(filepath.Separator) {
		return badInput(fmt.Errorf("--out %s: name a folder for the outputs, such as out/run1", dir))
	}
	if err := underFolders(clean, "--out"); err != nil {
		return err
	}
	if run {
		return replaceable(clean)
	}
	return nil
}

// underFolders refuses path when it, or its nearest existing ancestor,
// is not a folder: path itself must be a folder or not exist.
func underFolders(path, flag string) error {
	for p := path; ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		switch {
		case err == nil && info.IsDir():
			return nil
		case err == nil && p == path:
			return badInput(fmt.Errorf("%s %s: exists and is not a folder", flag, path))
		case err == nil:
			return badInput(fmt.Errorf("%s %s: %s is not a folder", flag, path, p))
		}
		// Not there, or under a file (ENOTDIR): look at the parent.
		if filepath.Dir(p) == p {
			return nil
		}
	}
}

// checkJUnitFlag refuses a --junit that cannot be written: empty, a
// folder, or a file whose folder does not exist (it is not created).
func checkJUnitFlag(path string, given bool) error {
	if !given {
		return nil
	}
	if strings.TrimSpace(path) == "" {
		return badInput(errors.New(`--junit "": name a file, such as junit.xml`))
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return badInput(fmt.Errorf("--junit %s: is a folder; name a file, such as %s", path, filepath.Join(path, "junit.xml")))
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return badInput(fmt.Errorf("--junit %s: folder %s does not exist", path, dir))
	case err != nil:
		return badInput(fmt.Errorf("--junit %s: %w", path, err))
	case !info.IsDir():
		return badInput(fmt.Errorf("--junit %s: %s is not a folder", path, dir))
	}
	return nil
}
