package engine

// slotTable tracks which cancellable timers are still live. A timer owns a
// slot holding its unique sequence number; stopping it clears the slot.
// The timer's record (a heap event or a delay-queue entry) keeps the slot
// and sequence, and is live exactly while the slot still holds that
// sequence — so stale records are recognised without searching for them.
type slotTable struct {
	live []uint64 // live[slot] = seq of the owning timer, 0 when free; slot 0 is never used
	free []int32
}

func newSlotTable() slotTable { return slotTable{live: make([]uint64, 1)} }

// take gives seq a slot.
func (t *slotTable) take(seq uint64) int32 {
	var slot int32
	if n := len(t.free); n > 0 {
		slot = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		t.live = append(t.live, 0)
		slot = int32(len(t.live) - 1)
	}
	t.live[slot] = seq
	return slot
}

// alive reports whether slot still belongs to seq.
func (t *slotTable) alive(slot int32, seq uint64) bool { return slot != 0 && t.live[slot] == seq }

// release frees slot.
func (t *slotTable) release(slot int32) {
	t.live[slot] = 0
	t.free = append(t.free, slot)
}
