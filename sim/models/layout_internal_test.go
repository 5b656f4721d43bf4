package models

import (
	"testing"
	"unsafe"
)

// TestInstanceLayout: the fields every request reads or writes (busy, pos,
// the queue's length and ends, state, the busy integral, arrivals, the
// service-time factor and readyAt) fit in the first 64 bytes of an
// instance, and an instance is 128 bytes, a size class whose objects Go
// places at multiples of 128 in page-aligned spans: so those fields are
// one cache line.
func TestInstanceLayout(t *testing.T) {
	var in instance
	if end := unsafe.Offsetof(in.readyAt) + unsafe.Sizeof(in.readyAt); end > 64 {
		t.Errorf("hot fields end at byte %d, want <= 64", end)
	}
	if size := unsafe.Sizeof(in); size != 128 {
		t.Errorf("instance is %d bytes, want 128", size)
	}
	if size := unsafe.Sizeof(request{}); size != 32 {
		t.Errorf("request is %d bytes, want 32 (two to a cache line)", size)
	}
}
