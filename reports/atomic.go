package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// ErrFinished is returned by AtomicFile methods called after Commit or
// Abort.
var ErrFinished = errors.New("reports: atomic file already committed or aborted")

// filePerm is the mode of every output file.
const filePerm = 0o644

// WriteFileAtomic writes data to path so that path either keeps its old
// content or holds all of data, never a prefix: it writes a temporary file
// named .tmp-BASE-RANDOM in the same directory, syncs it and renames it over
// path. The temporary file is removed on any error.
func WriteFileAtomic(path string, data []byte) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// AtomicFile is an output file written in full under a temporary name and
// moved to its final name by Commit. Until Commit nothing exists under the
// final name; after Commit or Abort no temporary file remains. Call Abort
// in a defer: it is a no-op after Commit.
type AtomicFile struct {
	path string   // final name
	f    *os.File // temporary file; nil once finished
	err  error    // first write error, reported again by Commit
}

// CreateAtomic starts an atomic write of path. The directory must exist.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, ".tmp-"+base+"-*")
	if err != nil {
		return nil, fmt.Errorf("reports: create %s: %w", path, err)
	}
	temps.add(f.Name())
	return &AtomicFile{path: path, f: f}, nil
}

// Write writes p to the temporary file. After the first error every call
// fails with that error.
func (a *AtomicFile) Write(p []byte) (int, error) {
	if a.f == nil {
		return 0, ErrFinished
	}
	if a.err != nil {
		return 0, a.err
	}
	n, err := a.f.Write(p)
	if err != nil {
		a.err = fmt.Errorf("reports: write %s: %w", a.path, err)
	}
	return n, a.err
}

// Commit syncs the temporary file and renames it to the final name. On any
// failure the temporary file is removed and the final name is untouched.
func (a *AtomicFile) Commit() error {
	if a.f == nil {
		return ErrFinished
	}
	f, tmp := a.f, a.f.Name()
	a.f = nil
	defer temps.remove(tmp)
	err := a.err
	if err == nil {
		err = f.Chmod(filePerm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("reports: commit %s: %w", a.path, err)
	}
	syncDir(filepath.Dir(a.path))
	return nil
}

// Abort discards the temporary file. It is a no-op after Commit or Abort.
func (a *AtomicFile) Abort() {
	if a.f == nil {
		return
	}
	a.f.Close()
	os.Remove(a.f.Name())
	temps.remove(a.f.Name())
	a.f = nil
}

// temps are the temporary files of atomic writes in progress.
var temps tempSet

type tempSet struct {
	sync.Mutex
	paths map[string]struct{}
}

func (t *tempSet) add(p string) {
	t.Lock()
	defer t.Unlock()
	if t.paths == nil {
		t.paths = map[string]struct{}{}
	}
	t.paths[p] = struct{}{}
}

func (t *tempSet) remove(p string) {
	t.Lock()
	defer t.Unlock()
	delete(t.paths, p)
}

// RemoveTemps removes the temporary file of every atomic write in
// progress, for a process about to exit without finishing them (on a
// signal): no .tmp-* file is left behind. Writes still running then fail.
func RemoveTemps() {
	temps.Lock()
	defer temps.Unlock()
	for p := range temps.paths {
		os.Remove(p)
	}
}

// syncDir makes a rename durable where the file system supports syncing a
// directory; failure only weakens durability, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
