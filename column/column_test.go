package column

import (
	"slices"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
)

func TestRoundTrips(t *testing.T) {
	for _, tm := range []time.Time{{}, time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("x", 3600))} {
		if got := FromNanos(Nanos(tm)); !got.Equal(tm) || (!tm.IsZero() && got.Location() != time.UTC) {
			t.Errorf("time %v → %v", tm, got)
		}
	}
	for _, rs := range [][]telltale.Role{nil, {telltale.RoleAdmin}, {telltale.RoleOwner, telltale.RoleInvestigator}} {
		if got := ParseRoles(Roles(rs)); !slices.Equal(got, rs) {
			t.Errorf("roles %v → %v", rs, got)
		}
	}
	if _, err := Hash32([]byte{1, 2}); err == nil {
		t.Error("short hash accepted")
	}
	if h, err := Hash32(make([]byte, 32)); err != nil || h != [32]byte{} {
		t.Errorf("hash: %v %v", h, err)
	}
	if telltale.ErrorCode(NotFound("case", 3)) != telltale.ENOTFOUND {
		t.Error("not found code")
	}
}
