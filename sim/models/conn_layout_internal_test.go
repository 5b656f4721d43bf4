package models

import (
	"testing"
	"unsafe"
)

// TestConnLayout: a connection record is one 64-byte cache line, so that
// 100,000 open connections take 6.4 MB (BENCHMARKS.md).
func TestConnLayout(t *testing.T) {
	if got := unsafe.Sizeof(conn{}); got != 64 {
		t.Errorf("conn is %d bytes, want 64", got)
	}
}
