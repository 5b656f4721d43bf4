package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSimIsDeterministicByConstruction scans every non-test Go file under
// sim/ for what would make runs depend on anything but the scenario and
// seed: the wall clock (time.Now and timers), goroutines, the global math/rand,
// and ranging over maps in the engine and models; and package unsafe. (asim's ManualSimClock
// rule, enforced statically.)
func TestSimIsDeterministicByConstruction(t *testing.T) {
	root := ".."
	forbidden := map[string]string{
		"math/rand": "the global, unseeded math/rand (use engine streams)",
		"sync":      "concurrency",
		"unsafe":    "memory-unsafe code (the performance issue rules it out: layouts are checked with reflect)",
	}
	wallClock := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
		"AfterFunc": true, "NewTimer": true, "NewTicker": true, "Tick": true}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		// sim/policies/external talks to a policy process: the process
		// boundary needs a goroutine doing the pipe I/O and a wall-clock
		// timeout bounding the wait for each answer. No simulated quantity
		// depends on either (a decision waits for the answer line; the
		// clock only decides when to give up and fail the run), so that
		// package alone may use goroutines and timers. The import checks
		// still apply to it.
		rel, _ := filepath.Rel(root, path)
		processBoundary := strings.HasPrefix(filepath.ToSlash(rel), "policies/external/")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if why, bad := forbidden[p]; bad {
				t.Errorf("%s imports %q: %s has no place in the simulation", path, p, why)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if processBoundary {
				return true
			}
			if g, ok := n.(*ast.GoStmt); ok {
				t.Errorf("%s: go statement at offset %d: the simulation is single-threaded", path, g.Pos())
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "time" && wallClock[sel.Sel.Name] {
					t.Errorf("%s: time.%s reads the wall clock", path, sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
