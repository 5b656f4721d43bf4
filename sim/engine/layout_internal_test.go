package engine

import (
	"reflect"
	"testing"
)

// TestEventLayout: events are 32 bytes and the heap's storage starts on a
// 128-byte boundary at every size it grows to, so the four children of a
// node, stored from a multiple of four (see pad), fill one 128-byte block.
func TestEventLayout(t *testing.T) {
	if got := reflect.TypeFor[Event]().Size(); got != 32 {
		t.Fatalf("Event is %d bytes, want 32", got)
	}
	// Children of element k are stored from 4k+1+pad; 4k is a multiple of
	// four, so they start on one exactly when 1+pad does.
	if first := 1 + pad; first%4 != 0 {
		t.Fatalf("children of the root start at storage index %d, want a multiple of 4", first)
	}
	var h heap4
	h.init()
	grows := 0
	for i := range 200_000 {
		before := cap(h.ev)
		h.push(Event{At: Time(i)})
		if cap(h.ev) == before && i > 0 {
			continue
		}
		grows++
		if addr := reflect.ValueOf(h.ev).Pointer(); addr%128 != 0 {
			t.Fatalf("heap of %d events (cap %d) stored at %#x, not on a 128-byte boundary", h.len(), cap(h.ev), addr)
		}
	}
	if grows < 10 {
		t.Fatalf("heap grew %d times; the test should cover many allocation sizes", grows)
	}
}
