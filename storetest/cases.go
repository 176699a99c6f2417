package storetest

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
)

func testCases(t *testing.T, s telltale.Store) {
	c := &telltale.Case{Title: "Harbor Light in the Gazette", State: telltale.CaseIntake, Nonce: bytes.Repeat([]byte{7}, 16),
		CreatedBy: "user/1", CreatedAt: t0, UpdatedAt: t0, PublishedAt: t0.Add(-time.Hour)}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateCase(c) })
	if c.ID == 0 {
		t.Fatal("case got no id")
	}
	view(t, s, func(tx telltale.Tx) error {
		got, err := tx.Case(c.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("case round trip:\n got %+v\nwant %+v", got, c)
		}
		_, err = tx.Case(c.ID + 100)
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})

	c.State, c.Outcome, c.VersionID, c.AssigneeID, c.Office, c.UpdatedAt = telltale.CaseClosed, telltale.OutcomeInconclusive, 3, 2, "Inspector General", t0.Add(time.Hour)
	update(t, s, func(tx telltale.Tx) error { return tx.UpdateCase(c) })
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.UpdateCase(&telltale.Case{ID: c.ID + 100, State: telltale.CaseIntake})
	})
	wantCode(t, err, telltale.ENOTFOUND)
	c2 := &telltale.Case{Title: "Second", State: telltale.CaseTriage, Nonce: []byte{1}, CreatedBy: "cli", CreatedAt: t0, UpdatedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.CreateCase(c2) })
	view(t, s, func(tx telltale.Tx) error {
		all, err := tx.Cases()
		if err != nil {
			return err
		}
		if len(all) != 2 || all[0].ID != c2.ID || !reflect.DeepEqual(all[1], c) {
			t.Errorf("cases, newest first: %+v", all)
		}
		return nil
	})

	e := &telltale.Evidence{CaseID: c.ID, Kind: "text", Name: "pasted", URL: "https://example.org/a", SHA256: [32]byte{1, 2},
		Size: 42, Sealed: []byte("sealed"), Verdict: []byte("sealed verdict"), AddedBy: "user/1", AddedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.AddEvidence(e) })
	e2 := &telltale.Evidence{CaseID: c.ID, Kind: "file", Name: "leak.html", SHA256: [32]byte{3}, Size: 1, Sealed: []byte("x"), AddedBy: "cli", AddedAt: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.AddEvidence(e2) })
	err = s.Update(ctx, func(tx telltale.Tx) error {
		return tx.AddEvidence(&telltale.Evidence{CaseID: c.ID + 100, Kind: "text", Sealed: []byte("x"), AddedAt: t0})
	})
	if err == nil {
		t.Error("evidence for a missing case was stored")
	}
	ev := &telltale.CaseEvent{CaseID: c.ID, Kind: "note", Sealed: []byte("sealed note"), Actor: "user/1", At: t0}
	update(t, s, func(tx telltale.Tx) error { return tx.AddCaseEvent(ev) })
	view(t, s, func(tx telltale.Tx) error {
		items, err := tx.CaseEvidence(c.ID)
		if err != nil {
			return err
		}
		if len(items) != 2 || !reflect.DeepEqual(items[0], e) || items[1].Verdict != nil || items[1].Name != "leak.html" {
			t.Errorf("evidence round trip: %+v", items)
		}
		events, err := tx.CaseEvents(c.ID)
		if err != nil {
			return err
		}
		if len(events) != 1 || !reflect.DeepEqual(events[0], ev) {
			t.Errorf("events round trip: %+v", events)
		}
		if other, _ := tx.CaseEvidence(c2.ID); len(other) != 0 {
			t.Errorf("evidence of another case: %+v", other)
		}
		return nil
	})
}
