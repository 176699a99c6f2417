// Package sqlite is telltale's embedded store: a telltale.Store on one
// SQLite file through modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode with foreign keys on and a busy timeout, so
// a CLI command and a running server can share it. Writes go through a
// single connection and begin IMMEDIATE, so concurrent writers queue instead
// of failing half-way; reads use their own pool. The schema is created and
// upgraded by embedded, numbered SQL migrations (migrations/*.sql), applied
// in order inside one transaction each.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/telltale-dev/telltale"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open SQLite store.
type DB struct {
	path    string
	write   *sql.DB // one connection, transactions begin IMMEDIATE
	read    *sql.DB
	applied []string
	// prepared are the write connection's hot statements, prepared once
	// when the store opens: SQLite takes about as long to parse a small
	// statement as to run it, and every change appends to the ledger.
	// (They cannot be prepared later: a transaction holds the only
	// write connection.)
	prepared map[string]*sql.Stmt
}

var _ telltale.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	if err := private(path); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("failed to open database %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("failed to open database %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	db := &DB{path: path, write: write, read: read}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.prepared = map[string]*sql.Stmt{}
	for _, q := range ledgerStatements {
		st, err := write.PrepareContext(ctx, q)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("failed to prepare %q: %w", q, err)
		}
		db.prepared[q] = st
	}
	return db, nil
}

// private creates the database file readable by its owner only (mode
// 0600; SQLite gives its journal files the same mode), or narrows an
// existing file's mode to that: it holds every record, if not the texts.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("failed to open database %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("failed to open database %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("database %s is readable by other users and cannot be made private: %w (hint: chmod 600 %s)", path, err, path)
		}
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	for _, st := range db.prepared {
		errs = append(errs, st.Close())
	}
	return errors.Join(append(errs, db.read.Close(), db.write.Close())...)
}

// migrate applies every embedded migration newer than the schema version.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("failed to prepare migrations in %s (hint: is it a telltale database, and is the disk writable?): %w", db.path, err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var current int
	if err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("failed to read schema version: %w", err)
	}
	latest := 0
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s has no number", base)
		}
		latest = max(latest, n)
		if n <= current {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if err := db.applyMigration(ctx, n, base, string(body)); err != nil {
			return err
		}
		db.applied = append(db.applied, base)
	}
	if current > latest {
		return fmt.Errorf("database %s has schema version %d, newer than this telltale knows (%d) (hint: upgrade telltale)", db.path, current, latest)
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, n int, name, body string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to apply migration %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("failed to apply migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, n, name); err != nil {
		return fmt.Errorf("failed to record migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("failed to apply migration %s: %w", name, err)
	}
	return nil
}

// Applied returns the names of the migrations Open applied (none if the
// schema was already current).
func (db *DB) Applied() []string { return db.applied }

// SchemaVersion returns the number of the last applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Update runs fn in a write transaction.
func (db *DB) Update(ctx context.Context, fn func(telltale.Tx) error) error {
	return db.run(ctx, db.write, false, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(telltale.Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(telltale.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return storeError("begin transaction", err)
	}
	tx := &Tx{ctx: ctx, tx: sqlTx}
	if !readOnly {
		tx.prepared = db.prepared
	}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if readOnly {
		return sqlTx.Rollback()
	}
	if err := sqlTx.Commit(); err != nil {
		return storeError("commit", err)
	}
	return nil
}

// storeError wraps a database error as an internal error, or as a clear
// user error when the disk is full or the database is read-only.
func storeError(op string, err error) error {
	var te *telltale.Error
	if errors.As(err, &te) {
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "SQLITE_FULL"):
		return &telltale.Error{Code: telltale.ESTORAGE, Message: "the disk holding the database is full; nothing was changed (hint: free space, then retry)", Err: err}
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only"):
		return &telltale.Error{Code: telltale.ESTORAGE, Message: "the database is read-only; nothing was changed (hint: check the data directory's permissions)", Err: err}
	}
	return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to " + op, Err: err}
}
