package external

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestReadLine pins what counts as one answer line: the protocol's lines
// are "terminated by \n" (doc.go), "\r\n" is accepted too, a last line
// cut off by end of file still counts, and a line is at most maxLine
// bytes counting its terminator; a longer one is errTooLong, with its
// start kept for the error message.
func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", maxLine-1)
	for _, tc := range []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"newline", "{}\nnext\n", "{}", nil},
		{"crlf", "{}\r\nnext\n", "{}", nil},
		{"last line without newline", "{}", "{}", nil},
		{"empty line", "\n", "", nil},
		{"end of file", "", "", io.EOF},
		{"maxLine with its newline", long + "\n", long, nil},
		{"one byte over", long + "x\n", long[:maxQuote], errTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readLine(bufio.NewReaderSize(strings.NewReader(tc.in), 64<<10))
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if string(got) != tc.want {
				t.Errorf("line of %d bytes %.20q..., want %d bytes %.20q...", len(got), got, len(tc.want), tc.want)
			}
		})
	}
}
