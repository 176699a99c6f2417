// Package column converts domain values to and from the column forms that
// both SQL stores (sqlite, postgres) use, so that times, role lists and
// hashes round-trip the same way in each.
package column

import (
	"fmt"
	"strings"
	"time"

	"github.com/telltale-dev/telltale"
)

// Nanos stores a time as UTC nanoseconds since 1970; the zero time is 0.
func Nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UTC().UnixNano()
}

// FromNanos reads a time stored by Nanos.
func FromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Roles stores roles as a comma-separated list.
func Roles(rs []telltale.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// ParseRoles reads roles stored by Roles.
func ParseRoles(s string) []telltale.Role {
	var out []telltale.Role
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, telltale.Role(r))
		}
	}
	return out
}

// Hash32 reads a stored SHA-256.
func Hash32(b []byte) (h [32]byte, err error) {
	if len(b) != 32 {
		return h, fmt.Errorf("stored hash is %d bytes", len(b))
	}
	copy(h[:], b)
	return h, nil
}

// NotFound is the error for a missing record.
func NotFound(what string, key any) error {
	return telltale.Errorf(telltale.ENOTFOUND, "no %s %v", what, key)
}

// NullBytes stores an empty value as NULL, as optional blobs are kept.
func NullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Consecutive reports whether indexes count up by one from the first: then
// a store reads them with one range scan.
func Consecutive(indexes []int64) bool {
	for i, idx := range indexes {
		if idx != indexes[0]+int64(i) {
			return false
		}
	}
	return len(indexes) > 1
}
