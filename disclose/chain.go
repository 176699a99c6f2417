package disclose

// chains indexes positions by key: an open-addressing hash table from key to
// the last position with that key, and for every position the previous one
// with the same key. It is rebuilt for every article without allocating.
type chains struct {
	keys  []uint64
	heads []int32 // 1 + last position, 0 for an empty slot
	next  []int32 // 1 + previous position with the same key, 0 for none
	mask  int
}

// reset empties the table for n positions.
func (c *chains) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(c.keys) < size {
		c.keys = make([]uint64, size)
		c.heads = make([]int32, size)
	} else {
		c.keys, c.heads = c.keys[:size], c.heads[:size]
		clear(c.heads)
	}
	c.next = resize(c.next, n)
	c.mask = size - 1
}

// slot returns the slot of key: where it is, or the empty slot where it
// belongs.
func (c *chains) slot(key uint64) int {
	i := int(mix(key, 0x636861696e)) & c.mask
	for c.heads[i] != 0 && c.keys[i] != key {
		i = (i + 1) & c.mask
	}
	return i
}

// add records that position pos has key.
func (c *chains) add(key uint64, pos int) {
	i := c.slot(key)
	c.next[pos] = c.heads[i]
	c.keys[i], c.heads[i] = key, int32(pos+1)
}

// head returns 1 + the last position with key, 0 if none; follow with
// next[h-1].
func (c *chains) head(key uint64) int32 {
	return c.heads[c.slot(key)]
}

// each calls fn with every key and its last position.
func (c *chains) each(fn func(key uint64, pos int)) {
	for i, h := range c.heads {
		if h != 0 {
			fn(c.keys[i], int(h-1))
		}
	}
}
