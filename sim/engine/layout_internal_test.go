package engine

import (
	"reflect"
	"testing"
)

// TestEventLayout: events are 32 bytes, so the heap's four children of a
// node, stored from a multiple of four, fill one 128-byte block.
func TestEventLayout(t *testing.T) {
	if got := reflect.TypeFor[Event]().Size(); got != 32 {
		t.Fatalf("Event is %d bytes, want 32", got)
	}
	var q queue
	q.init()
	for k := range 100 {
		if first := 4*k + 1 + pad; first%4 != 0 {
			t.Fatalf("children of %d start at storage index %d", k, first)
		}
	}
}
