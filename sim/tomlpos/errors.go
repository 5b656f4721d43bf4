package tomlpos

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Error kinds the decoder reports; every *Error wraps one, so
// errors.Is(err, ErrUnknownKey) works on an Error and on an ErrorList
// holding one. Callers validating the decoded value add their own kinds.
var (
	ErrSyntax     = errors.New("tomlpos: toml syntax error")
	ErrUnknownKey = errors.New("tomlpos: unknown key")
	ErrType       = errors.New("tomlpos: wrong type")
	ErrInvalid    = errors.New("tomlpos: invalid value")
	ErrOverride   = errors.New("tomlpos: bad --set override")
)

// Error is one problem with a document, located in its file. Rendered:
//
//	scenarios/x.toml:12:3: service.api.concurency: unknown key (did you mean "concurrency"?)
//
// Errors from --set overrides carry File "--set KEY=VALUE" and Line 0.
type Error struct {
	File string // document path, or "--set KEY=VALUE" for overrides
	Line int    // 1-based line; 0 when not in a file
	Col  int    // 1-based column; 0 when unknown
	Key  string // dotted key, naming array entries by name: "service.api.queue"
	Msg  string // what is wrong, lowercase, no trailing period
	Hint string // how to fix it, such as `did you mean "queue"?`; optional
	Kind error  // one of the Err… sentinels, or a caller's
}

// Error renders the error on one line, with control characters escaped.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return Escape(b.String())
}

// Unwrap returns the error's kind.
func (e *Error) Unwrap() error { return e.Kind }

// ErrorList is every problem found in one document, sorted by line, then
// key. Decoder.Err returns a non-empty ErrorList or nil.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sort orders l by file, line, key, column and message, a total order, so
// that output does not depend on the order problems were found in. Errors
// from --set overrides (no line) come last, in the order given.
func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		switch {
		case (a.Line == 0) != (b.Line == 0):
			if a.Line == 0 {
				return 1
			}
			return -1
		case a.Line == 0:
			return 0
		case a.File != b.File:
			return strings.Compare(a.File, b.File)
		case a.Line != b.Line:
			return a.Line - b.Line
		case a.Key != b.Key:
			return strings.Compare(a.Key, b.Key)
		case a.Col != b.Col:
			return a.Col - b.Col
		}
		return strings.Compare(a.Msg, b.Msg)
	})
}

// DidYouMean returns a hint naming the candidate closest to s by edit
// distance, or "" when none is close: within max(2, len(s)/3) edits.
func DidYouMean(s string, candidates []string) string {
	if c := closest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return ""
}

// closest returns the candidate nearest to s, or "" when none is close
// enough. Ties go to the earlier candidate.
func closest(s string, candidates []string) string {
	best, bestDist := "", max(2, len(s)/3)+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counting
// bytes, with adjacent transpositions costing 1 (optimal string alignment).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 { // keys are short; avoid quadratic blowups
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
