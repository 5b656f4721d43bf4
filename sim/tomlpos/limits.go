package tomlpos

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth is how deeply arrays and inline tables may nest in a document.
// The TOML library and the line index recurse on nesting and their memory
// grows with its square, so a deeper document is refused before either
// sees it. Scenarios nest 3 or 4 levels.
const MaxDepth = 64

// Integer fields hold at most this magnitude: every count the models keep
// fits an int32.
const maxInt = 1<<31 - 1

// maxFloat bounds the magnitude of every number, so that no product of a
// few of them (a price × instances × hours) reaches +Inf.
const maxFloat = 1e15

// checkDepth scans src for brackets and braces outside strings and
// comments and fails at the first that opens level MaxDepth+1, with its
// position.
func checkDepth(file, src string) *Error {
	depth, line, col := 0, 1, 0
	for i := 0; i < len(src); i++ {
		col++
		switch c := src[i]; c {
		case '\n':
			line, col = line+1, 0
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			delim := string(c)
			if strings.HasPrefix(src[i:], strings.Repeat(delim, 3)) {
				delim = strings.Repeat(delim, 3)
			}
			j := i + len(delim)
			for j < len(src) && !strings.HasPrefix(src[j:], delim) {
				if src[j] == '\\' && c == '"' {
					j++
				} else if src[j] == '\n' {
					if len(delim) == 1 {
						break // unterminated: the TOML library says so
					}
					line, col = line+1, -(j - i)
				}
				j++
			}
			col += j - i
			i = min(j+len(delim)-1, len(src)-1)
		case '[', '{':
			depth++
			if depth > MaxDepth {
				return &Error{File: file, Line: line, Col: col, Kind: ErrSyntax,
					Msg: fmt.Sprintf("arrays and tables nest more than %d levels deep", MaxDepth)}
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return nil
}

// Escape returns s with control characters, and bytes that are not UTF-8,
// escaped as in a Go string literal, so that text from a file cannot
// drive the terminal it is printed on.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

func needsEscape(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || IsControl(r) {
			return true
		}
	}
	return false
}

// IsControl reports whether r is a C0 or C1 control character or DEL.
func IsControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

// HasControl reports whether s holds a control character or is not
// UTF-8.
func HasControl(s string) bool { return needsEscape(s) }
