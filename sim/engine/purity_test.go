package engine_test

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mapOrderMark is the comment that lets a loop range over a map: it must
// sit on the line of the range statement or the line above it and say
// why the order cannot reach an output or a decision, as in
// "// map order: only summed into an integer count".
const mapOrderMark = "map order:"

// TestSimIsDeterministicByConstruction scans every non-test Go file under
// sim/ for what would make runs depend on anything but the scenario and
// seed: the wall clock (time.Now and timers), goroutines, the global
// math/rand, package unsafe, and ranging over a map unless the loop
// carries a justified mapOrderMark comment. (asim's ManualSimClock rule,
// enforced statically.) Map ranges are found by type, so a map hidden
// behind a named type, a field or a function result is caught too.
func TestSimIsDeterministicByConstruction(t *testing.T) {
	root := ".."
	forbidden := map[string]string{
		"math/rand": "the global, unseeded math/rand (use engine streams)",
		"sync":      "concurrency",
		"unsafe":    "memory-unsafe code (the performance issue rules it out: layouts are checked with reflect)",
	}
	wallClock := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
		"AfterFunc": true, "NewTimer": true, "NewTicker": true, "Tick": true}
	fset := token.NewFileSet()
	byDir := map[string][]*ast.File{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		dir, name := filepath.Split(path)
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		byDir[dir] = append(byDir[dir], f)
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
				t.Errorf("%s: go statement: the simulation is single-threaded", fset.Position(g.Pos()))
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "time" && wallClock[sel.Sel.Name] {
					t.Errorf("%s: time.%s reads the wall clock", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(byDir) < 5 {
		t.Fatalf("found %d packages under sim/; the walk is broken", len(byDir))
	}
	imp := exportDataImporter(t, fset)
	for _, dir := range slices.Sorted(maps.Keys(byDir)) {
		for _, pos := range unmarkedMapRanges(t, fset, imp, byDir[dir]) {
			t.Errorf("%s: range over a map: its order is random; iterate a sorted slice, or mark the loop "+
				"with a %q comment saying why the order cannot matter", pos, "// "+mapOrderMark)
		}
	}
}

// exportDataImporter returns an importer reading the compiler's export
// data for sim/'s dependencies, which one `go list -export` builds or finds
// in the build cache: much faster than type-checking them from source.
func exportDataImporter(t *testing.T, fset *token.FileSet) types.Importer {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}", "../...").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	export := map[string]string{}
	for line := range strings.Lines(string(out)) {
		path, file, _ := strings.Cut(strings.TrimSpace(line), "=")
		export[path] = file
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := export[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	})
}

// unmarkedMapRanges type-checks one package and returns the positions of
// the range statements over a map that carry no mapOrderMark comment with
// a reason after it.
func unmarkedMapRanges(t *testing.T, fset *token.FileSet, imp types.Importer, files []*ast.File) []token.Position {
	t.Helper()
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: imp}
	if _, err := conf.Check(files[0].Name.Name, fset, files, info); err != nil {
		t.Fatalf("type-checking %s: %v", fset.Position(files[0].Pos()).Filename, err)
	}
	var found []token.Position
	for _, f := range files {
		marked := map[int]bool{} // lines covered by a justified mark
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				_, why, ok := strings.Cut(c.Text, mapOrderMark)
				if ok && strings.TrimSpace(why) != "" {
					line := fset.Position(c.Pos()).Line
					marked[line], marked[line+1] = true, true
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			r, ok := n.(*ast.RangeStmt)
			if !ok {
				return true
			}
			tv, ok := info.Types[r.X]
			if !ok {
				t.Fatalf("%s: range expression has no type", fset.Position(r.Pos()))
			}
			if _, isMap := tv.Type.Underlying().(*types.Map); isMap && !marked[fset.Position(r.Pos()).Line] {
				found = append(found, fset.Position(r.Pos()))
			}
			return true
		})
	}
	return found
}

// TestUnmarkedMapRanges pins what the purity scan flags, so that it cannot
// pass by finding nothing.
func TestUnmarkedMapRanges(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int // flagged loops
	}{
		{"map literal", "for k := range map[int]int{} { _ = k }", 1},
		{"named map type behind a field", "var s struct{ m ids }; for range s.m {}", 1},
		{"function result", "for range f() {}", 1},
		{"slice", "for range []int{} {}", 0},
		{"integer", "for range 3 {}", 0},
		{"marked on the line above", "// " + mapOrderMark + " summed into an int\n\tfor range f() {}", 0},
		{"marked on the same line", "for range f() {} // " + mapOrderMark + " only counts entries", 0},
		{"mark without a reason", "// " + mapOrderMark + "\n\tfor range f() {}", 1},
		{"mark two lines above", "// " + mapOrderMark + " too far\n\n\tfor range f() {}", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "package p\n\ntype ids map[string]int\n\nfunc f() ids { return nil }\n\nfunc g() {\n\t" + tt.body + "\n}\n"
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			got := unmarkedMapRanges(t, fset, nil, []*ast.File{f}) // imports nothing
			if len(got) != tt.want {
				t.Errorf("flagged %v, want %d loops", got, tt.want)
			}
		})
	}
}
