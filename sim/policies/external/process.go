package external

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// This file is the process boundary, and the only code under sim/ that
// runs goroutines and reads the wall clock (see the exemption in
// sim/engine/purity_test.go). serve does the pipe I/O so that a process
// that stops reading or writing cannot block the simulation beyond the
// timeout; wait reaps the process. Nothing simulated depends on either:
// Decide always waits for the answer line, and the clock only decides
// when to give up and fail the run.

const (
	// exitGrace is how long a process gets to exit after its stdin is
	// closed or its stdout reaches end of file, and how long Wait waits
	// for stderr to drain after it exits, wall clock.
	exitGrace = time.Second
	// startAllowance is added to the first tick's timeout, which also
	// covers the process's start-up (interpreters behind version-manager
	// shims can take seconds on a busy machine), wall clock.
	startAllowance = 10 * time.Second
	// peekWait is how long serve looks for unrequested output before a
	// request, wall clock.
	peekWait = 100 * time.Microsecond
	// maxLine bounds an answer line, bytes.
	maxLine = 1 << 20
	// Bounds on the stderr kept for error messages.
	stderrKeep  = 8 << 10 // bytes kept, the most recent
	stderrLines = 5       // lines quoted
)

var errTooLong = fmt.Errorf("longer than %d bytes", maxLine)

// process is a running policy process. Its fields are used by the
// Policy's goroutine only, except the pipes and channels, which serve
// also uses, and cmd, which wait uses until it closes exited.
type process struct {
	cmd     *exec.Cmd
	stdin   *os.File    // our end of the process's stdin
	stdout  *os.File    // our end of the process's stdout
	reqs    chan []byte // request lines for serve
	resps   chan result // serve's answers, one per request
	exited  chan struct{}
	stderr  *tail // written by exec's copier; read only after exited
	stopped bool
	killed  bool   // we killed it: its exit status is ours, not its own
	marker  string // "CLUSTERSIM_POLICY=<random>" in its environment, for sweep
}

// errExtraLine is serve's answer when the process wrote output that no
// request asked for.
var errExtraLine = errors.New("extra output")

// result is one answer line, without its line terminator, or why there
// is none.
type result struct {
	line []byte
	err  error
}

// start starts the process with pipes for stdin and stdout, its stderr
// kept in a bounded buffer, and the goroutines that serve and reap it.
func start(path string, cfg Config) (*process, error) {
	if cfg.Dir != "" {
		if st, err := os.Stat(cfg.Dir); err != nil || !st.IsDir() {
			// exec would blame the command for its missing folder
			return nil, fmt.Errorf("its folder %s (the scenario file's) does not exist; a library scenario run by name has none: run the scenario file by path", cfg.Dir)
		}
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	pr := &process{
		stdin: inW, stdout: outR,
		reqs: make(chan []byte, 1), resps: make(chan result, 1),
		exited: make(chan struct{}), stderr: &tail{},
	}
	var token [12]byte
	_, _ = rand.Read(token[:])
	pr.marker = "CLUSTERSIM_POLICY=" + hex.EncodeToString(token[:])
	var stderr io.Writer = pr.stderr
	if cfg.Stderr != nil {
		stderr = io.MultiWriter(pr.stderr, ignoreErrors{cfg.Stderr})
	}
	pr.cmd = &exec.Cmd{
		Path: path, Args: cfg.Command, Dir: cfg.Dir, Env: append(os.Environ(), pr.marker),
		Stdin: inR, Stdout: outW, Stderr: stderr,
		WaitDelay: exitGrace, // a lingering grandchild cannot hold Wait
	}
	isolate(pr.cmd)
	err = pr.cmd.Start()
	inR.Close() // the child has its own copies
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	track(pr)
	go pr.serve()
	go pr.wait()
	return pr, nil
}

// serve writes each request and reads the answer line, until reqs is
// closed. Closing the pipes (stop) unblocks it. Before each request it
// checks that nothing is left unread: an answer line too many would
// otherwise be taken as the next tick's answer. A nil request only checks.
func (pr *process) serve() {
	r := bufio.NewReaderSize(pr.stdout, 64<<10)
	for req := range pr.reqs {
		if extra := pr.unread(r); extra != nil {
			pr.resps <- result{line: extra, err: errExtraLine}
			continue
		}
		if req == nil {
			pr.resps <- result{}
			continue
		}
		if _, err := pr.stdin.Write(req); err != nil {
			pr.resps <- result{err: err}
			continue
		}
		line, err := readLine(r)
		pr.resps <- result{line, err}
	}
}

// unread returns the start of any output waiting on r, without blocking,
// or nil.
func (pr *process) unread(r *bufio.Reader) []byte {
	if r.Buffered() == 0 {
		// A deadline already past fails before trying to read, so give
		// the read a moment.
		if pr.stdout.SetReadDeadline(time.Now().Add(peekWait)) != nil {
			return nil // not pollable: nothing to check with
		}
		_, _ = r.Peek(1)
		_ = pr.stdout.SetReadDeadline(time.Time{})
	}
	if n := r.Buffered(); n > 0 {
		b, _ := r.Peek(min(n, maxQuote))
		return bytes.TrimRight(b, "\r\n")
	}
	return nil
}

// wait reaps the process and announces its exit.
func (pr *process) wait() {
	_ = pr.cmd.Wait() // the status is in cmd.ProcessState
	close(pr.exited)
}

// readLine reads one line, without "\n" or "\r\n". A last line without a
// newline before end of file counts as a line.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return line[:maxQuote], errTooLong
		}
		switch {
		case err == nil:
			line = line[:len(line)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil
		default:
			return nil, err
		}
	}
}

// exchange sends one request line and returns the answer line, waiting
// at most timeout. On error the process has been stopped.
func (pr *process) exchange(req []byte, timeout time.Duration) ([]byte, error) {
	pr.reqs <- req // serve is idle and reqs has room: never blocks
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-pr.resps:
		switch {
		case r.err == nil:
			return r.line, nil
		case errors.Is(r.err, errTooLong):
			pr.stop(0)
			return nil, fmt.Errorf("%w %s: %v", ErrAnswer, quote(r.line), r.err)
		case errors.Is(r.err, errExtraLine):
			pr.stop(0)
			return nil, fmt.Errorf("%w: more than one line for one request: %s was not asked for (answer each request with exactly one line)",
				ErrAnswer, quote(r.line))
		}
		// End of file or a broken pipe: the process is going away.
		return nil, pr.exitError()
	case <-timer.C:
		select {
		case <-pr.exited:
			return nil, pr.exitError()
		default:
		}
		pr.stop(0)
		return nil, fmt.Errorf("%w: no answer within %v, process killed (does it flush stdout after each answer?)%s",
			ErrTimeout, timeout, pr.stderrTail())
	}
}

// exitError waits briefly for the process to exit and describes how it
// did.
func (pr *process) exitError() error {
	timer := time.NewTimer(exitGrace)
	defer timer.Stop()
	select {
	case <-pr.exited:
	case <-timer.C:
	}
	ownExit := !pr.stopped && !pr.killed
	select {
	case <-pr.exited:
	default:
		ownExit = false
	}
	pr.stop(0)
	if !ownExit {
		return fmt.Errorf("%w: it closed its stdout without answering and was killed%s", ErrExited, pr.stderrTail())
	}
	return fmt.Errorf("%w without answering: %s%s", ErrExited, pr.cmd.ProcessState, pr.stderrTail())
}

// stop ends the process once: it closes its stdin, waits up to grace for
// it to exit, kills it otherwise, reaps it and releases the pipes and
// serve. It returns the process's exit status if that was a failure of
// its own ("exit status 2"), "" if it succeeded or was killed by us.
func (pr *process) stop(grace time.Duration) (status string) {
	if !pr.stopped {
		pr.stopped = true
		pr.stdin.Close()
		if grace > 0 {
			timer := time.NewTimer(grace)
			select {
			case <-pr.exited:
			case <-timer.C:
			}
			timer.Stop()
		}
		select {
		case <-pr.exited:
		default:
			pr.killed = true
			kill(pr.cmd)
		}
		<-pr.exited
		kill(pr.cmd)     // what the leader left in its group
		sweep(pr.marker) // and what left the group
		untrack(pr)
		pr.stdout.Close()
		close(pr.reqs)
	}
	if pr.killed || pr.cmd.ProcessState.Success() {
		return ""
	}
	return pr.cmd.ProcessState.String()
}

// stderrTail renders the last lines of the process's stderr for an error
// message: "; stderr: line | line", or "" if it wrote nothing. Call it
// only after the process has exited.
func (pr *process) stderrTail() string {
	lines := strings.FieldsFunc(string(pr.stderr.buf), func(r rune) bool { return r == '\n' || r == '\r' })
	var kept []string
	for i := len(lines) - 1; i >= 0 && len(kept) < stderrLines; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			kept = append(kept, truncate(l, maxQuote))
		}
	}
	if len(kept) == 0 {
		return ""
	}
	for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
		kept[i], kept[j] = kept[j], kept[i]
	}
	prefix := "; stderr: "
	if len(lines) > len(kept) {
		prefix = "; stderr: ... | "
	}
	return prefix + strings.Join(kept, " | ")
}

// tail keeps the most recent stderrKeep bytes written to it.
type tail struct{ buf []byte }

func (t *tail) Write(b []byte) (int, error) {
	t.buf = append(t.buf, b...)
	if len(t.buf) > 2*stderrKeep {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-stderrKeep:]...)
	}
	return len(b), nil
}

// ignoreErrors passes writes on and always succeeds, so that a failing
// log destination cannot stall the process's stderr.
type ignoreErrors struct{ w io.Writer }

func (w ignoreErrors) Write(b []byte) (int, error) {
	_, _ = w.w.Write(b)
	return len(b), nil
}
