package trace_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/trace"
)

func write(t testing.TB, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll returns the records of the trace and its errors, rendered.
func readAll(t *testing.T, path string) ([]trace.Record, []string) {
	t.Helper()
	r, err := trace.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []trace.Record
	var errs []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		var le *trace.LineError
		if !errors.As(err, &le) && err != nil {
			t.Fatal(err)
		}
		if err != nil {
			errs = append(errs, strings.TrimPrefix(err.Error(), path))
			continue
		}
		recs = append(recs, rec)
	}
}

var nan = math.NaN()

func TestFormats(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []trace.Record
		errs             []string
	}{
		{"text", "a.txt", "# times\n0.5\n1.25 # two at once\n\n1.25\n3\n",
			[]trace.Record{{0.5, nan, -1, -1, -1}, {1.25, nan, -1, -1, -1}, {1.25, nan, -1, -1, -1}, {3, nan, -1, -1, -1}}, nil},
		{"text errors", "a.log", "0.5\nsoon\n0.25\n-1\n2",
			[]trace.Record{{0.5, nan, -1, -1, -1}, {2, nan, -1, -1, -1}},
			[]string{`:2: invalid arrival time "soon"`, ":3: arrival time 0.25 is before the previous one (0.5): the trace must be sorted",
				":4: arrival time -1 must be a finite number >= 0"}},
		{"csv", "a.csv", "# from the access log\nkey, time,service_time\r\n7,0.5,0.02\n,1,\n\n999999,2,0\n",
			[]trace.Record{{0.5, 0.02, 7, -1, -1}, {1, nan, -1, -1, -1}, {2, 0, 999999, -1, -1}}, nil},
		{"csv bad cells", "a.CSV", "time,service_time,key\n1,x,1\n2,0.1,1000000\n3,-1,\n4,0.1\n5,0.1,1,9\n,0.1,1\n6,0.1,1.5\n",
			nil,
			[]string{`:2: invalid service_time "x": seconds, a finite number >= 0`, `:3: invalid key "1000000": an integer from 0 to 999999`,
				`:4: invalid service_time "-1": seconds, a finite number >= 0`, ":5: 2 columns, the header names 3",
				":6: more than the header's 3 columns", `:7: invalid arrival time ""`, `:8: invalid key "1.5": an integer from 0 to 999999`}},
		{"csv unknown column", "a.csv", "time,users\n1,alice\n", nil,
			[]string{`:1: unknown column "users": the columns are time, service_time, key, user, endpoint`}},
		{"csv no time", "a.csv", "key\n1\n", nil,
			[]string{":1: the header names no time column: the columns are time, service_time, key, user, endpoint, time required"}},
		{"csv twice", "a.csv", "time,key,time\n1,1,1\n", nil, []string{":1: column time appears twice"}},
		{"jsonl", "a.jsonl", "{\"time\": 0.5, \"service_time\": 0.02, \"key\": 7}\n# c\n\n{\"key\": 3, \"time\": 1}\n{\"time\": \"2\"}\n",
			[]trace.Record{{0.5, 0.02, 7, -1, -1}, {1, nan, 3, -1, -1}, {2, nan, -1, -1, -1}}, nil},
		{"jsonl errors", "a.ndjson", "{\"time\": 1, \"route\": \"/cart\"}\n[1]\n{\"service_time\": 1}\n{\"time\": 1e999}\n{\"time\": 1} {\"time\": 2}\n{\"time\": 1, \"key\": -2}\n",
			nil,
			[]string{`:1: unknown member "route": the members are time, service_time, key, user, endpoint`, `:2: not a JSON object of numbers (and an endpoint name): "[1]"`,
				`:3: no "time" member: the arrival time in seconds is required`, `:4: invalid arrival time "1e999"`,
				":5: more than one JSON value on the line", `:6: invalid key "-2": an integer from 0 to 999999`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := readAll(t, write(t, tt.file, tt.data))
			if strings.Join(errs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tt.errs, "\n"))
			}
			if fmt.Sprint(recs) != fmt.Sprint(tt.want) {
				t.Errorf("records %v, want %v", recs, tt.want)
			}
		})
	}
}

// TestLongLine: a line longer than the buffer is an error naming it, and
// reading goes on after it.
func TestLongLine(t *testing.T) {
	path := write(t, "long.txt", "1\n"+strings.Repeat("9", trace.BufferSize+10)+"\n2\n")
	recs, errs := readAll(t, path)
	if len(recs) != 2 || len(errs) != 1 || errs[0] != fmt.Sprintf(":2: line longer than %d bytes", trace.BufferSize) {
		t.Errorf("records %v, errors %q", recs, errs)
	}
}

// TestRewind: a rewound trace reads the same records again.
func TestRewind(t *testing.T) {
	r, err := trace.Open(write(t, "r.csv", "time,key\n1,1\n2,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for pass := range 3 {
		for i := range 2 {
			rec, err := r.Next()
			if err != nil || rec.Time != float64(i+1) || rec.Key != int64(i+1) {
				t.Fatalf("pass %d record %d: %v %v", pass, i, rec, err)
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("pass %d: %v, want EOF", pass, err)
		}
		if err := r.Rewind(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMemoryFlat streams a trace of a million CSV records and checks that
// the live heap does not grow with the records read: after a GC at every
// 100,000th record it stays within 64 KiB of where it was after the
// first 100,000 (a reader that kept its records would hold over 24 MB).
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 20 MB trace")
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "time,service_time,key")
	const n = 1_000_000
	for i := range n {
		fmt.Fprintf(w, "%.4f,0.0125,%d\n", float64(i)*0.01, i%1000)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := trace.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	live := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var base uint64
	for i := range n {
		if _, err := r.Next(); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if i%100_000 == 99_999 {
			h := live()
			if base == 0 {
				base = h
			} else if h > base+64<<10 {
				t.Fatalf("live heap %d bytes after %d records, %d after 100,000", h, i+1, base)
			}
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last record: %v", err)
	}
	t.Logf("live heap %d bytes after 100,000 records and after 1,000,000", base)
}

// TestUserEndpoint: user and endpoint fields, in CSV and JSON lines: a
// user is an integer 0 to MaxUser, an endpoint one of the names given to
// SetEndpoints (its index); an unknown name is a bad line carrying the
// name (for a suggestion), and so is any name when none were given. An
// empty cell leaves either unset.
func TestUserEndpoint(t *testing.T) {
	tests := []struct {
		name, file, data string
		eps              []string
		want             []trace.Record
		errs             []string
		bad              []string // LineError.Endpoint of each error
	}{
		{"csv", "a.csv", "time,endpoint,user\n0.5,search,7\n1,,\n2,browse,9999999\n3,serch,1\n4,search,10000000\n5,search,-1\n6,search,x\n",
			[]string{"browse", "search"},
			[]trace.Record{{0.5, nan, -1, 7, 1}, {1, nan, -1, -1, -1}, {2, nan, -1, 9999999, 0}},
			[]string{`:5: unknown endpoint "serch": the workload's endpoints are browse, search`,
				`:6: invalid user "10000000": an integer from 0 to 9999999`, `:7: invalid user "-1": an integer from 0 to 9999999`,
				`:8: invalid user "x": an integer from 0 to 9999999`},
			[]string{"serch", "", "", ""}},
		{"jsonl", "a.jsonl", "{\"time\": 0.5, \"endpoint\": \"search\", \"user\": 7}\n{\"time\": 1}\n{\"time\": 2, \"endpoint\": \"browse\", \"user\": 9999999}\n{\"time\": 3, \"endpoint\": \"serch\"}\n{\"time\": 4, \"endpoint\": 3}\n{\"time\": 5, \"user\": 1.5}\n",
			[]string{"browse", "search"},
			[]trace.Record{{0.5, nan, -1, 7, 1}, {1, nan, -1, -1, -1}, {2, nan, -1, 9999999, 0}},
			[]string{`:4: unknown endpoint "serch": the workload's endpoints are browse, search`,
				`:5: not a JSON object of numbers (and an endpoint name): "{\"time\": 4, \"endpoint\": 3}"`,
				`:6: invalid user "1.5": an integer from 0 to 9999999`},
			[]string{"serch", "", ""}},
		{"no endpoints", "a.csv", "time,endpoint\n1,search\n", nil, nil,
			[]string{`:2: endpoint "search": the workload declares no endpoints`}, []string{"search"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(t, tt.file, tt.data)
			r, err := trace.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if tt.eps != nil {
				r.SetEndpoints(tt.eps)
			}
			var recs []trace.Record
			var errs, bad []string
			for {
				rec, err := r.Next()
				if err == io.EOF {
					break
				}
				var le *trace.LineError
				if errors.As(err, &le) {
					errs = append(errs, strings.TrimPrefix(err.Error(), path))
					bad = append(bad, le.Endpoint)
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				recs = append(recs, rec)
			}
			if strings.Join(errs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tt.errs, "\n"))
			}
			if fmt.Sprint(recs) != fmt.Sprint(tt.want) || fmt.Sprint(bad) != fmt.Sprint(tt.bad) {
				t.Errorf("records %v, want %v; unknown endpoints %q, want %q", recs, tt.want, bad, tt.bad)
			}
		})
	}
}
