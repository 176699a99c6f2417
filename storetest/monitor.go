package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/telltale-dev/telltale"
)

func testMonitor(t *testing.T, s telltale.Store) {
	a := &telltale.MonitorSource{Kind: "feed", URL: "https://news.example/feed.xml", State: []byte(`{"x":1}`), NextAttempt: t0, CreatedBy: "user/1", CreatedAt: t0}
	b := &telltale.MonitorSource{Kind: "page", URL: "https://news.example/story", State: []byte(`{}`), NextAttempt: t0.Add(time.Hour), CreatedBy: "cli", CreatedAt: t0}
	update(t, s, func(tx telltale.Tx) error {
		if err := tx.CreateMonitorSource(a); err != nil {
			return err
		}
		return tx.CreateMonitorSource(b)
	})
	err := s.Update(ctx, func(tx telltale.Tx) error {
		return tx.CreateMonitorSource(&telltale.MonitorSource{Kind: "feed", URL: a.URL, State: []byte(`{}`), CreatedAt: t0})
	})
	wantCode(t, err, telltale.ECONFLICT)
	view(t, s, func(tx telltale.Tx) error {
		got, err := tx.MonitorSource(a.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("source round trip:\n got %+v\nwant %+v", got, a)
		}
		all, err := tx.MonitorSources()
		if err != nil || len(all) != 2 || all[0].ID != a.ID {
			t.Errorf("sources: %v %+v", err, all)
		}
		return nil
	})

	// Leases: one owner at a time, until the lease runs out.
	claim := func(owner string, now time.Time) []*telltale.MonitorSource {
		var got []*telltale.MonitorSource
		update(t, s, func(tx telltale.Tx) (err error) {
			got, err = tx.ClaimMonitorSources(owner, now, now.Add(5*time.Minute), 10)
			return err
		})
		return got
	}
	if got := claim("one", t0); len(got) != 1 || got[0].ID != a.ID || got[0].LeaseOwner != "one" {
		t.Fatalf("first claim: %+v", got)
	}
	if got := claim("two", t0.Add(time.Minute)); len(got) != 0 {
		t.Errorf("a leased source was claimed again: %+v", got)
	}
	if got := claim("two", t0.Add(2*time.Hour)); len(got) != 2 {
		t.Errorf("after the lease ran out, due sources: %+v", got)
	}
	a.State, a.NextAttempt = []byte(`{"x":2}`), t0.Add(3*time.Hour)
	update(t, s, func(tx telltale.Tx) error { return tx.UpdateMonitorSource(a) })
	view(t, s, func(tx telltale.Tx) error {
		got, _ := tx.MonitorSource(a.ID)
		if string(got.State) != `{"x":2}` || !got.NextAttempt.Equal(a.NextAttempt) || got.LeaseOwner != "" {
			t.Errorf("updated source: %+v", got)
		}
		return nil
	})
	update(t, s, func(tx telltale.Tx) error { return tx.DeleteMonitorSource(b.ID) })
	err = s.Update(ctx, func(tx telltale.Tx) error { return tx.DeleteMonitorSource(b.ID) })
	wantCode(t, err, telltale.ENOTFOUND)

	// Seen articles.
	update(t, s, func(tx telltale.Tx) error {
		if err := tx.MarkArticleSeen("https://news.example/a", t0); err != nil {
			return err
		}
		return tx.MarkArticleSeen("https://news.example/a", t0) // twice is fine
	})
	view(t, s, func(tx telltale.Tx) error {
		if ok, err := tx.ArticleSeen("https://news.example/a"); err != nil || !ok {
			t.Errorf("seen: %v %v", ok, err)
		}
		if ok, _ := tx.ArticleSeen("https://news.example/b"); ok {
			t.Error("unseen article seen")
		}
		return nil
	})

	// Flagged articles.
	f1 := &telltale.FlaggedArticle{SourceID: a.ID, URL: "https://news.example/a", Title: "Raids planned", Outlet: "news.example", PublishedAt: t0, FoundAt: t0,
		Story: "https://news.example/a", VersionID: 4, Score: 12.5, Hit: true, Level: "strong", SnapshotSHA256: [32]byte{1}, Sealed: []byte("s"), Report: []byte("r"), Nonce: []byte("n")}
	f2 := &telltale.FlaggedArticle{URL: "https://other.example/a", FoundAt: t0.Add(time.Minute), Story: "https://news.example/a", Duplicate: true,
		SnapshotSHA256: [32]byte{2}, Sealed: []byte("s"), Report: []byte("r"), Nonce: []byte("n")}
	update(t, s, func(tx telltale.Tx) error {
		if err := tx.CreateFlaggedArticle(f1); err != nil {
			return err
		}
		if err := tx.CreateFlaggedArticle(f2); err != nil {
			return err
		}
		return tx.SetFlaggedArticleCase(f1.ID, 9)
	})
	f1.CaseID = 9
	view(t, s, func(tx telltale.Tx) error {
		got, err := tx.FlaggedArticle(f1.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, f1) {
			t.Errorf("flag round trip:\n got %+v\nwant %+v", got, f1)
		}
		list, err := tx.FlaggedArticles(10)
		if err != nil || len(list) != 2 || list[0].ID != f2.ID || !list[0].Duplicate {
			t.Errorf("flags, newest first: %v %+v", err, list)
		}
		if one, _ := tx.FlaggedArticles(1); len(one) != 1 {
			t.Errorf("limit: %d", len(one))
		}
		_, err = tx.FlaggedArticle(f2.ID + 10)
		wantCode(t, err, telltale.ENOTFOUND)
		return nil
	})
}
