// Package trace reads request traces for replay, streamed through a
// bounded buffer: a trace of any length costs the same memory. Three
// formats, told apart by the file name's extension:
//
//   - text (any other extension): one arrival time in seconds per line;
//     blank lines and '#' comments are ignored;
//   - CSV (".csv"): a header line naming the columns, then one request
//     per line; the columns are those of [Fields], in any order, time
//     required; cells are plain numbers (no quoting), an empty cell
//     leaves the field unset; blank lines and lines starting with '#'
//     are ignored;
//   - JSON lines (".jsonl", ".ndjson"): one JSON object per line with the
//     members of [Fields], time required; blank lines and lines starting
//     with '#' are ignored.
//
// Times are seconds from the start of the trace, finite, >= 0 and
// non-decreasing; a service time is in seconds, finite and >= 0; a key is
// an integer from 0 to MaxKey; a user an integer from 0 to MaxUser; an
// endpoint one of the names given to [Reader.SetEndpoints] (a CSV cell or
// a JSON string). A column or member not in [Fields] is an error that
// lists the supported ones.
package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Fields are the per-request fields a trace may give, as CSV columns or
// JSON members.
var Fields = []string{"time", "service_time", "key", "user", "endpoint"}

// The fields' indices in Fields.
const (
	fTime = iota
	fServiceTime
	fKey
	fUser
	fEndpoint
)

// MaxKey is the largest request key (the workload key space's limit).
const MaxKey = 999_999

// MaxUser is the largest user id (a workload's user ids are at most
// 10,000,000, as user_ids).
const MaxUser = 9_999_999

// BufferSize is the read buffer, and the longest line a trace may hold.
const BufferSize = 64 << 10

// Format is a trace file's format.
type Format uint8

// Formats.
const (
	Text  Format = iota // one arrival time per line
	CSV                 // a header, then comma-separated columns
	JSONL               // one JSON object per line
)

// FormatOf returns the format of the trace at path, from its extension.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV
	case ".jsonl", ".ndjson":
		return JSONL
	}
	return Text
}

// Hint describes a format's lines, for error messages.
func (f Format) Hint() string {
	switch f {
	case CSV:
		return "a header naming columns among " + strings.Join(Fields, ", ") + " (time required), then one request per line"
	case JSONL:
		return `one JSON object per line, such as {"time": 1.5, "service_time": 0.02, "key": 7, "user": 42, "endpoint": "search"}`
	}
	return "one arrival time in seconds per line"
}

// Record is one request of a trace.
type Record struct {
	Time        float64 // seconds from the start of the trace
	ServiceTime float64 // seconds; NaN when the trace gives none
	Key         int64   // -1 when the trace gives none
	User        int64   // -1 when the trace gives none
	Endpoint    int32   // index into the names given to SetEndpoints; -1 when the trace gives none
}

// none is a record with no field set.
func none() Record { return Record{ServiceTime: math.NaN(), Key: -1, User: -1, Endpoint: -1} }

// LineError is a bad line of a trace; reading may go on after it.
type LineError struct {
	Path string
	Line int
	Msg  string
	// Endpoint is the endpoint name the line gives when that name is
	// its error (not one of SetEndpoints'), for a suggestion; at most 64
	// bytes of it.
	Endpoint string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg) }

// Reader streams the records of a trace file.
type Reader struct {
	path   string
	fsys   fs.FS // where path is read from; nil: the operating system
	f      io.ReadCloser
	br     *bufio.Reader
	format Format
	line   int
	prev   float64          // the last good record's time
	cols   []int            // CSV: the field of each column (index into Fields)
	broken bool             // a bad CSV header: nothing more is read
	eps    map[string]int32 // the endpoint names a record may give ...
	names  []string         // ... in order
	badEp  string           // the unknown endpoint of the line being read
}

// SetEndpoints gives the endpoint names records may give, in order: a
// record's Endpoint is its name's index; any other name is a bad line.
// Without it every endpoint is unknown.
func (r *Reader) SetEndpoints(names []string) {
	r.names = append([]string(nil), names...)
	r.eps = make(map[string]int32, len(names))
	for i, n := range names {
		r.eps[n] = int32(i)
	}
}

// Open opens the trace at path.
func Open(path string) (*Reader, error) { return OpenFS(nil, path) }

// OpenFS opens the trace name in fsys (an embedded library's files), or
// at the operating system's path name when fsys is nil.
func OpenFS(fsys fs.FS, name string) (*Reader, error) {
	r := &Reader{path: name, fsys: fsys, format: FormatOf(name)}
	f, err := r.open()
	if err != nil {
		return nil, err
	}
	r.f, r.br = f, bufio.NewReaderSize(f, BufferSize)
	return r, nil
}

func (r *Reader) open() (io.ReadCloser, error) {
	if r.fsys != nil {
		return r.fsys.Open(r.path)
	}
	return os.Open(r.path)
}

// Format returns the trace's format.
func (r *Reader) Format() Format { return r.format }

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// Rewind starts the trace over: from its start if the file can seek,
// else by opening it again.
func (r *Reader) Rewind() error {
	if sk, ok := r.f.(io.Seeker); ok {
		if _, err := sk.Seek(0, io.SeekStart); err != nil {
			return err
		}
	} else {
		f, err := r.open()
		if err != nil {
			return err
		}
		r.f.Close()
		r.f = f
	}
	r.br.Reset(r.f)
	r.line, r.prev, r.cols, r.broken = 0, 0, nil, false
	return nil
}

// Next returns the next record, io.EOF after the last, a *LineError for
// a bad line (the next call goes on with the line after it), or another
// error when the file cannot be read.
func (r *Reader) Next() (Record, error) {
	for {
		if r.broken {
			return Record{}, io.EOF
		}
		text, err := r.readLine()
		if err != nil {
			return Record{}, err
		}
		r.badEp = ""
		rec, skip, lerr := r.parse(text)
		if lerr != "" {
			return Record{}, &LineError{Path: r.path, Line: r.line, Msg: lerr, Endpoint: r.badEp}
		}
		if skip {
			continue
		}
		if rec.Time < r.prev {
			return Record{}, &LineError{Path: r.path, Line: r.line,
				Msg: fmt.Sprintf("arrival time %v is before the previous one (%v): the trace must be sorted", rec.Time, r.prev)}
		}
		r.prev = rec.Time
		return rec, nil
	}
}

// readLine returns the next line without its end, or io.EOF.
func (r *Reader) readLine() ([]byte, error) {
	b, err := r.br.ReadSlice('\n')
	r.line++
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) { // skip the rest of the line
			_, err = r.br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		return nil, &LineError{Path: r.path, Line: r.line, Msg: fmt.Sprintf("line longer than %d bytes", BufferSize)}
	}
	if err == io.EOF && len(b) == 0 {
		return nil, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}

// parse reads one line: a record, or skip for a blank, comment or header
// line, or a message for a bad one.
func (r *Reader) parse(b []byte) (rec Record, skip bool, msg string) {
	rec = none()
	switch r.format {
	case Text:
		if i := bytes.IndexByte(b, '#'); i >= 0 {
			b = b[:i]
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			return rec, true, ""
		}
		t, msg := parseTime(b)
		rec.Time = t
		return rec, false, msg
	case CSV:
		b = bytes.TrimSpace(b)
		if len(b) == 0 || b[0] == '#' {
			return rec, true, ""
		}
		if r.cols == nil {
			msg = r.header(b)
			r.broken = msg != ""
			return rec, true, msg
		}
		return r.csvRecord(b)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == '#' {
		return rec, true, ""
	}
	return r.jsonRecord(b)
}

// header reads a CSV header line.
func (r *Reader) header(b []byte) string {
	seen := make([]bool, len(Fields))
	for cell := range bytes.SplitSeq(b, []byte(",")) {
		name := string(bytes.TrimSpace(cell))
		f := index(name)
		switch {
		case f < 0:
			return fmt.Sprintf("unknown column %s: the columns are %s", excerpt(name), strings.Join(Fields, ", "))
		case seen[f]:
			return fmt.Sprintf("column %s appears twice", name)
		}
		seen[f] = true
		r.cols = append(r.cols, f)
	}
	if !seen[fTime] {
		return "the header names no time column: the columns are " + strings.Join(Fields, ", ") + ", time required"
	}
	return ""
}

func index(name string) int {
	for i, f := range Fields {
		if f == name {
			return i
		}
	}
	return -1
}

// csvRecord reads a CSV data line.
func (r *Reader) csvRecord(b []byte) (rec Record, skip bool, msg string) {
	rec = none()
	n := 0
	for cell := range bytes.SplitSeq(b, []byte(",")) {
		if n >= len(r.cols) {
			return rec, false, fmt.Sprintf("more than the header's %d columns", len(r.cols))
		}
		cell = bytes.TrimSpace(cell)
		f := r.cols[n]
		n++
		if len(cell) == 0 && f != fTime {
			continue // unset
		}
		if msg = r.set(&rec, f, cell); msg != "" {
			return rec, false, msg
		}
	}
	if n < len(r.cols) {
		return rec, false, fmt.Sprintf("%d columns, the header names %d", n, len(r.cols))
	}
	return rec, false, ""
}

// set parses cell as field f of rec.
func (r *Reader) set(rec *Record, f int, cell []byte) string {
	var msg string
	switch f {
	case fTime:
		rec.Time, msg = parseTime(cell)
	case fServiceTime:
		v, err := strconv.ParseFloat(string(cell), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			msg = fmt.Sprintf("invalid service_time %s: seconds, a finite number >= 0", excerpt(string(cell)))
		}
		rec.ServiceTime = v
	case fKey:
		k, err := strconv.ParseInt(string(cell), 10, 64)
		if err != nil || k < 0 || k > MaxKey {
			msg = fmt.Sprintf("invalid key %s: an integer from 0 to %d", excerpt(string(cell)), MaxKey)
		}
		rec.Key = k
	case fUser:
		u, err := strconv.ParseInt(string(cell), 10, 64)
		if err != nil || u < 0 || u > MaxUser {
			msg = fmt.Sprintf("invalid user %s: an integer from 0 to %d", excerpt(string(cell)), MaxUser)
		}
		rec.User = u
	case fEndpoint:
		e, ok := r.eps[string(cell)] // no allocation: a map lookup by string(bytes)
		if !ok {
			r.badEp = string(cell[:min(len(cell), 2*maxExcerpt)]) // bounded: it is quoted
			if len(r.names) == 0 {
				return fmt.Sprintf("endpoint %s: the workload declares no endpoints", excerpt(r.badEp))
			}
			return fmt.Sprintf("unknown endpoint %s: the workload's endpoints are %s", excerpt(r.badEp), list(r.names))
		}
		rec.Endpoint = e
	}
	return msg
}

// list joins names for a message, eliding past the tenth.
func list(names []string) string {
	if len(names) > 10 {
		return strings.Join(names[:10], ", ") + fmt.Sprintf(" (and %d more)", len(names)-10)
	}
	return strings.Join(names, ", ")
}

// parseTime parses an arrival time.
func parseTime(b []byte) (float64, string) {
	t, err := strconv.ParseFloat(string(b), 64)
	switch {
	case err != nil:
		return 0, "invalid arrival time " + excerpt(string(b))
	case t < 0 || math.IsInf(t, 0) || math.IsNaN(t):
		return 0, fmt.Sprintf("arrival time %v must be a finite number >= 0", t)
	}
	return t, ""
}

// jsonLine is one JSON-lines record; pointers tell a missing member.
type jsonLine struct {
	Time        *json.Number `json:"time"`
	ServiceTime *json.Number `json:"service_time"`
	Key         *json.Number `json:"key"`
	User        *json.Number `json:"user"`
	Endpoint    *string      `json:"endpoint"`
}

// jsonRecord reads a JSON-lines line.
func (r *Reader) jsonRecord(b []byte) (rec Record, skip bool, msg string) {
	rec = none()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var l jsonLine
	if err := dec.Decode(&l); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return rec, false, fmt.Sprintf("unknown member %s: the members are %s", excerpt(strings.Trim(name, `"`)), strings.Join(Fields, ", "))
		}
		return rec, false, "not a JSON object of numbers (and an endpoint name): " + excerpt(string(b))
	}
	if dec.More() {
		return rec, false, "more than one JSON value on the line"
	}
	if l.Time == nil {
		return rec, false, `no "time" member: the arrival time in seconds is required`
	}
	for f, v := range []*json.Number{l.Time, l.ServiceTime, l.Key, l.User} {
		if v == nil {
			continue
		}
		if msg = r.set(&rec, f, []byte(v.String())); msg != "" {
			return rec, false, msg
		}
	}
	if l.Endpoint != nil {
		return rec, false, r.set(&rec, fEndpoint, []byte(*l.Endpoint))
	}
	return rec, false, ""
}

// maxExcerpt bounds the bytes of an untrusted line quoted in a message.
const maxExcerpt = 32

// excerpt quotes at most maxExcerpt bytes of s, escaped.
func excerpt(s string) string {
	if len(s) > maxExcerpt {
		return strconv.Quote(strings.ToValidUTF8(s[:maxExcerpt], "")) + "..."
	}
	return strconv.Quote(s)
}
