package policies

// MaglevTable returns b's lookup table: the backend position of each slot.
func MaglevTable(b *Maglev) []int32 { return b.table }

// RingSize returns the number of points on b's ring.
func RingSize(b *RingHash) int { return len(b.ring) }
