package reports_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	for _, content := range []string{"first\n", "second, longer\n"} {
		if err := reports.WriteFileAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"out.txt"}) {
		t.Errorf("dir holds %v, want only out.txt", got)
	}
}

// TestFailedWritesLeaveNothing checks that every aborted or failed write
// leaves neither the final file nor a temporary one.
func TestFailedWritesLeaveNothing(t *testing.T) {
	tests := []struct {
		name    string
		run     func(dir string) error // returns the error the write reported
		wantErr bool
		keep    []string // names expected in dir afterwards
	}{
		{"atomic file aborted", func(dir string) error {
			f, err := reports.CreateAtomic(filepath.Join(dir, "a.txt"))
			if err != nil {
				return err
			}
			f.Write([]byte("partial"))
			f.Abort()
			f.Abort() // twice is harmless
			if _, err := f.Write([]byte("x")); !errors.Is(err, reports.ErrFinished) {
				t.Errorf("write after abort: %v, want ErrFinished", err)
			}
			return f.Commit()
		}, true, nil},
		{"abort after commit is a no-op", func(dir string) error {
			f, err := reports.CreateAtomic(filepath.Join(dir, "a.txt"))
			if err != nil {
				return err
			}
			f.Write([]byte("whole"))
			err = f.Commit()
			f.Abort()
			return err
		}, false, []string{"a.txt"}},
		{"missing directory", func(dir string) error {
			return reports.WriteFileAtomic(filepath.Join(dir, "nope", "a.txt"), []byte("x"))
		}, true, nil},
		{"rename onto a non-empty directory", func(dir string) error {
			target := filepath.Join(dir, "busy")
			if err := os.MkdirAll(filepath.Join(target, "child"), 0o755); err != nil {
				return err
			}
			return reports.WriteFileAtomic(target, []byte("x"))
		}, true, []string{"busy"}},
		{"timeseries aborted", func(dir string) error {
			w, err := reports.NewTimeseriesWriter(dir)
			if err != nil {
				return err
			}
			w.Header([]string{"api.rps"})
			w.Row(10, []float64{1})
			w.Abort()
			return w.Commit()
		}, true, nil},
		{"timeseries row of wrong width", func(dir string) error {
			w, err := reports.NewTimeseriesWriter(dir)
			if err != nil {
				return err
			}
			w.Header([]string{"api.rps", "api.errors"})
			if err := w.Row(10, []float64{1}); err == nil {
				t.Error("short row accepted")
			}
			return w.Commit()
		}, true, nil},
		{"timeseries without header", func(dir string) error {
			w, err := reports.NewTimeseriesWriter(dir)
			if err != nil {
				return err
			}
			return w.Commit()
		}, true, nil},
		{"timeseries bad column name", func(dir string) error {
			w, err := reports.NewTimeseriesWriter(dir)
			if err != nil {
				return err
			}
			if err := w.Header([]string{"a,b"}); err == nil {
				t.Error("column with a comma accepted")
			}
			return w.Commit()
		}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			err := tt.run(dir)
			if (err != nil) != tt.wantErr {
				t.Errorf("error = %v, want error %v", err, tt.wantErr)
			}
			assertNoTemp(t, dir)
			if got := listDir(t, dir); !slices.Equal(got, tt.keep) {
				t.Errorf("dir holds %v, want %v", got, tt.keep)
			}
		})
	}
}
