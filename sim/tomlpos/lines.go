package tomlpos

import (
	"strconv"
	"strings"
)

// BurntSushi/toml does not say where a key was written, so lineIndex
// rescans the (already syntax-checked) source to map key paths to their
// positions. Paths use array indices: "service[1].balancer.algorithm",
// "workload[0].schedule[2]". The scanner is forgiving: on input it does not
// understand it records less, and lookups fall back to an enclosing key.

// pos is a 1-based line and column (columns count bytes).
type pos struct{ line, col int }

// lineIndex maps key paths to where they were written.
type lineIndex struct {
	at     map[string]pos
	arrays map[string]int // [[header]] path without last index -> entries seen
}

// find returns the position of path, or of its nearest enclosing key that
// was written; line 1 when none was.
func (ix *lineIndex) find(path string) pos {
	for path != "" {
		if p, ok := ix.at[path]; ok {
			return p
		}
		path = parentPath(path)
	}
	return pos{1, 0}
}

// has reports whether path itself was written.
func (ix *lineIndex) has(path string) bool {
	_, ok := ix.at[path]
	return ok
}

// parentPath drops the last element ("a.b[2]" -> "a.b" -> "a" -> "").
func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// indexLines scans src and records the position of every key, table
// header and array element it finds.
func indexLines(src string) *lineIndex {
	s := &scanner{src: src, line: 1, ix: &lineIndex{at: map[string]pos{}, arrays: map[string]int{}}}
	s.document()
	return s.ix
}

type scanner struct {
	src       string
	i         int // byte offset
	line      int
	lineStart int // offset of the current line's first byte
	ix        *lineIndex
}

func (s *scanner) eof() bool  { return s.i >= len(s.src) }
func (s *scanner) peek() byte { return s.src[s.i] }
func (s *scanner) here() pos  { return pos{s.line, s.i - s.lineStart + 1} }

func (s *scanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.lineStart = s.i + 1
	}
	s.i++
}

func (s *scanner) record(path string, p pos) {
	if _, ok := s.ix.at[path]; !ok {
		s.ix.at[path] = p
	}
}

// skipSpace skips blanks, and newlines and comments when multiline is set.
func (s *scanner) skipSpace(multiline bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case multiline && c == '\n':
			s.advance()
		case multiline && c == '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves to the next newline (not past it).
func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.advance()
	}
}

func (s *scanner) document() {
	table := ""
	for !s.eof() {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.here()
		switch s.peek() {
		case '[':
			s.advance()
			array := !s.eof() && s.peek() == '['
			if array {
				s.advance()
			}
			keys := s.key()
			table = s.resolve(keys, array, start)
		default:
			keys := s.key()
			if len(keys) == 0 || s.eof() || s.peek() != '=' {
				break // not understood; skip the line
			}
			s.advance()
			path := table
			for _, k := range keys {
				path = joinPath(path, k)
				s.record(path, start)
			}
			s.skipSpace(false)
			s.value(path)
		}
		s.skipLine()
	}
}

// resolve turns a header's keys into a table path, giving every
// array-of-tables element its index, and records the header.
func (s *scanner) resolve(keys []string, array bool, p pos) string {
	path := ""
	for n, k := range keys {
		path = joinPath(path, k)
		if array && n == len(keys)-1 {
			i := s.ix.arrays[path]
			s.ix.arrays[path] = i + 1
			s.record(path, p)
			path = indexPath(path, i)
		} else if c := s.ix.arrays[path]; c > 0 {
			path = indexPath(path, c-1)
		}
		s.record(path, p)
	}
	return path
}

// key reads a dotted key (bare or quoted parts) and the blanks after it.
func (s *scanner) key() []string {
	var keys []string
	for {
		s.skipSpace(false)
		if s.eof() {
			return keys
		}
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			keys = append(keys, s.str())
		case isBare(c):
			start := s.i
			for !s.eof() && isBare(s.peek()) {
				s.advance()
			}
			keys = append(keys, s.src[start:s.i])
		default:
			return keys
		}
		s.skipSpace(false)
		if s.eof() || s.peek() != '.' {
			return keys
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads one value written for path, recording the keys and elements
// of inline tables and arrays.
func (s *scanner) value(path string) {
	if s.eof() {
		return
	}
	switch s.peek() {
	case '{':
		s.advance()
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if c := s.peek(); c == '}' {
				s.advance()
				return
			} else if c == ',' {
				s.advance()
				continue
			}
			start := s.here()
			keys := s.key()
			if len(keys) == 0 || s.eof() || s.peek() != '=' {
				s.skipTo("}")
				continue
			}
			s.advance()
			sub := path
			for _, k := range keys {
				sub = joinPath(sub, k)
				s.record(sub, start)
			}
			s.skipSpace(true)
			s.value(sub)
		}
	case '[':
		s.advance()
		for n := 0; ; n++ {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == ']' {
				s.advance()
				return
			}
			elem := indexPath(path, n)
			s.record(elem, s.here())
			before := s.i
			s.value(elem)
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == ',' {
				s.advance()
			} else if s.i == before && s.peek() != ']' {
				s.advance() // not understood: make progress
			}
		}
	case '"', '\'':
		s.str()
	default:
		s.skipTo(",]}#\n")
	}
}

// skipTo advances to the next byte in stop (not past it).
func (s *scanner) skipTo(stop string) {
	for !s.eof() && !strings.ContainsRune(stop, rune(s.peek())) {
		s.advance()
	}
}

// str reads a basic, literal or multi-line string and returns its
// contents (escapes decoded where simple).
func (s *scanner) str() string {
	q := s.peek()
	delim := string(q)
	if strings.HasPrefix(s.src[s.i:], strings.Repeat(delim, 3)) {
		delim = strings.Repeat(delim, 3)
	}
	for range delim {
		s.advance()
	}
	start := s.i
	for !s.eof() {
		if q == '"' && s.peek() == '\\' {
			s.advance()
			if !s.eof() {
				s.advance()
			}
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			// A multi-line string may end with up to two extra quotes.
			for len(delim) == 3 && strings.HasPrefix(s.src[s.i+1:], delim) {
				s.advance()
			}
			raw := s.src[start:s.i]
			for range delim {
				s.advance()
			}
			if q == '"' && len(delim) == 1 {
				if u, err := strconv.Unquote(`"` + raw + `"`); err == nil {
					return u
				}
			}
			return raw
		}
		s.advance()
	}
	return s.src[start:]
}
