package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telltale-dev/telltale"
	"github.com/telltale-dev/telltale/storetest"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "telltale.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) telltale.Store { return openTemp(t) })
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "telltale.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := db.SchemaVersion(ctx)
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v2, _ := db.SchemaVersion(ctx); v2 != v1 || v1 == 0 {
		t.Errorf("schema version %d after reopen, %d before", v2, v1)
	}
}

// TestVersionsImmutable: the database itself refuses to change or delete a
// stored version, whatever code runs against it.
func TestVersionsImmutable(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	raw := func(q string) error {
		_, err := db.write.ExecContext(ctx, q)
		return err
	}
	if err := raw(`INSERT INTO documents (slug, created_at) VALUES ('d', 1)`); err != nil {
		t.Fatal(err)
	}
	if err := raw(`INSERT INTO versions (document_id, number, created_at, source_hash, nonce, coalition, sealed_source, sealed_template)
		VALUES (1, 1, 1, zeroblob(32), zeroblob(16), 3, x'00', x'00')`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE versions SET sealed_source = x'01'`, `DELETE FROM versions`} {
		if err := raw(q); err == nil || !strings.Contains(err.Error(), "versions") {
			t.Errorf("%s: err = %v, want refusal", q, err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "telltale.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.write.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')`)
	db.Close()
	_, err = Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "upgrade telltale") {
		t.Fatalf("Open of a newer schema = %v", err)
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte("this is not a database, just text, long enough to look like a header"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil {
		t.Fatal("opened a text file as a database")
	}
}

// TestFileIsPrivate: the database file is created readable by its owner
// only, and an existing file's looser mode is narrowed.
func TestFileIsPrivate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new database mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened database mode %v, want 0600", fi.Mode().Perm())
	}
}
