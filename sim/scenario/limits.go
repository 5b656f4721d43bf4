package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Limits bound what a scenario file may ask of the machine, so that a
// small or careless file cannot exhaust memory or run for days. Each has a
// command-line flag that raises it.
type Limits struct {
	// MaxSize is the largest scenario file read, bytes; default 1 MiB
	// (--max-scenario-size).
	MaxSize int64
	// MaxEvents is the most engine events a run may be estimated to need
	// (see Estimate); 0 means no limit. Default 2×10⁹ (--max-events).
	MaxEvents float64
	// MaxInstances is the most instances, summed over services at their
	// largest replica counts, and separately the most nodes, summed over
	// pools at their maximum sizes; default 100,000 (--max-instances).
	MaxInstances int
	// TraceAnywhere lets trace paths leave the scenario file's folder
	// (--allow-trace-anywhere).
	TraceAnywhere bool
	// Files, when set, holds the files beside an embedded library
	// scenario: its relative trace paths are read from there.
	Files fs.FS
}

// Default limits.
const (
	DefaultMaxSize      = 1 << 20
	DefaultMaxEvents    = 2e9
	DefaultMaxInstances = 100_000
)

// DefaultLimits returns the limits Load and Parse apply.
func DefaultLimits() Limits {
	return Limits{MaxSize: DefaultMaxSize, MaxEvents: DefaultMaxEvents, MaxInstances: DefaultMaxInstances}
}

// ErrTooLarge is returned for a scenario file over Limits.MaxSize.
var ErrTooLarge = errors.New("scenario: file too large")

// ErrNotRegular is returned for a scenario path that is not a regular
// file (a folder, a FIFO, a device).
var ErrNotRegular = errors.New("scenario: not a regular file")

// LoadWith is Load under lim: it reads only a regular file of at most
// lim.MaxSize bytes.
func LoadWith(path string, overrides []string, lim Limits) (*Config, error) {
	data, err := readRegular(path, lim.MaxSize)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, fmt.Errorf("%w (raise the limit with --max-scenario-size)", err)
		}
		return nil, err
	}
	return ParseWith(path, data, overrides, lim)
}

// readRegular reads the regular file at path, failing with ErrNotRegular
// for anything else and with ErrTooLarge beyond limit bytes (0: none).
func readRegular(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes.
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is a %s", ErrNotRegular, tomlpos.Escape(path), fileKind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() { // replaced since
		return nil, fmt.Errorf("%w: %s", ErrNotRegular, tomlpos.Escape(path))
	}
	if limit <= 0 {
		limit = 1<<63 - 1
	}
	data, err := io.ReadAll(io.LimitReader(f, min(limit, 1<<62)+1))
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, tomlpos.Escape(path), limit)
	}
	return data, nil
}

// fileKind names a file mode's type for messages.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeCharDevice != 0, m&os.ModeDevice != 0:
		return "device"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeSymlink != 0:
		return "symbolic link"
	}
	return "special file"
}

// checkSize fails for data over lim.MaxSize, as an ErrorList.
func checkSize(file string, data []byte, lim Limits) error {
	if lim.MaxSize > 0 && int64(len(data)) > lim.MaxSize {
		return fmt.Errorf("%w: %s holds %d bytes, more than %d (raise the limit with --max-scenario-size)",
			ErrTooLarge, tomlpos.Escape(file), len(data), lim.MaxSize)
	}
	return nil
}

// maxPredictiveSlots bounds a predictive policy's history: one slot per
// 15 s step over one period, so 2^20 slots is about 182 days.
const maxPredictiveSlots = 1 << 20

// predictiveStep is the predictive policy's history resolution
// (autoscale.defaultPredictiveStep).
const predictiveStep = 15 * Second
