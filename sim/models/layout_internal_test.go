package models

import (
	"reflect"
	"testing"
)

// TestInstanceLayout: the fields every request reads or writes (busy, pos,
// the queue's length and ends, state, the busy integral, arrivals, the
// service-time factor and readyAt) fit in the first 64 bytes of an
// instance, and an instance is 128 bytes, a size class whose objects Go
// places at multiples of 128 in page-aligned spans: so those fields are
// one cache line. Requests are 32 bytes, two to a line.
func TestInstanceLayout(t *testing.T) {
	it := reflect.TypeFor[instance]()
	last, _ := it.FieldByName("readyAt")
	if end := last.Offset + last.Type.Size(); end > 64 {
		t.Errorf("hot fields end at byte %d, want <= 64", end)
	}
	if size := it.Size(); size != 128 {
		t.Errorf("instance is %d bytes, want 128", size)
	}
	// newInstance allocates each instance on its own; check the allocator
	// does place them on 128-byte boundaries, as the hot-line claim needs.
	keep := make([]*instance, 0, 1000)
	for range cap(keep) {
		in := &instance{}
		keep = append(keep, in)
		if addr := reflect.ValueOf(in).Pointer(); addr%128 != 0 {
			t.Fatalf("instance allocated at %#x, not on a 128-byte boundary", addr)
		}
	}
	if size := reflect.TypeFor[request]().Size(); size != 32 {
		t.Errorf("request is %d bytes, want 32 (two to a cache line)", size)
	}
}
