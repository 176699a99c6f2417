// Package postgres is telltale's store for several server instances: a
// telltale.Store on one PostgreSQL database through
// github.com/jackc/pgx/v5 (pgxpool).
//
// It keeps the SQLite store's semantics exactly, and passes the same
// conformance suite (package storetest):
//
//   - Writers run one at a time. Update begins a REPEATABLE READ
//     transaction and, before its snapshot is taken, locks the write_lock
//     table in EXCLUSIVE mode, so a write transaction sees every earlier
//     commit from every instance and no other writer commits until it
//     ends: the serial execution of SQLite's single writer, across
//     processes. Every change appends to the ledger, whose head is one row,
//     so writers could not run in parallel anyway; queueing on a lock beats
//     failing and retrying. Serialization failures and deadlocks (SQLSTATE
//     40001, 40P01) are retried a few times all the same: the function
//     given to Update must be safe to run again.
//   - The ledger's head advances by compare-and-swap (UPDATE … WHERE size
//     = old AND hash = old), which holds on its own even without the lock:
//     two writers can never fork the log.
//   - Reads (View) run in REPEATABLE READ READ ONLY transactions: one
//     consistent snapshot, never blocked by writers.
//   - Times are BIGINT Unix nanoseconds, sorted text uses the "C"
//     collation, versions, copies, evidence and the ledger are protected by
//     triggers, and constraint violations map to the same error codes.
//
// Unlike SQLite, a failed statement aborts the PostgreSQL transaction: a
// function given to Update must return the error it gets, not carry on.
//
// The schema is created and upgraded by embedded, numbered SQL migrations
// (migrations/*.sql), each applied in its own transaction while holding a
// PostgreSQL advisory lock, so instances starting together do not race.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/telltale-dev/telltale"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock key held while migrating ("telltale"
// in ASCII).
const migrateLock int64 = 0x74656c6c74616c65

// maxAttempts bounds how often Update runs its function when the database
// reports a serialization failure or a deadlock.
const maxAttempts = 5

// DB is an open PostgreSQL store.
type DB struct {
	pool    *pgxpool.Pool
	where   string // the URL without its password, for messages
	applied []Migration
}

var _ telltale.Store = (*DB)(nil)

// Migration is an applied schema migration.
type Migration struct {
	Version int
	Name    string
}

// IsURL reports whether s names a PostgreSQL database
// (postgres://… or postgresql://…).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns a database URL without its password, for messages.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the database"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open connects to the database at a postgres:// URL and brings its schema
// up to date. The pool holds up to 10 connections unless the URL says
// otherwise (pool_max_conns=N); other URL parameters are PostgreSQL's
// (sslmode, search_path, application_name, …).
func Open(ctx context.Context, dsn string) (*DB, error) {
	where := Redact(dsn)
	if !IsURL(dsn) {
		return nil, fmt.Errorf("database %q is not a PostgreSQL URL (hint: postgres://user:password@host:5432/dbname?sslmode=verify-full)", where)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", where, err) // pgx leaves out the password
	}
	if !strings.Contains(dsn, "pool_max_conns=") {
		cfg.MaxConns = 10
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "telltale"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to connect to %s: %w", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("failed to connect to %s (hint: is PostgreSQL running there, and are the user, password and database right?): %w", where, err)
	}
	db := &DB{pool: pool, where: where}
	if db.applied, err = db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connection pool, waiting for connections in use.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Applied returns the names of the migrations Open applied (none if the
// schema was already current).
func (db *DB) Applied() []string {
	var names []string
	for _, m := range db.applied {
		names = append(names, m.Name)
	}
	return names
}

// SchemaVersion returns the number of the last applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Where returns the database's URL without its password.
func (db *DB) Where() string { return db.where }

// migrate applies every embedded migration newer than the schema version,
// each in its own transaction, holding an advisory lock throughout so that
// instances starting at once apply each migration once.
func (db *DB) migrate(ctx context.Context) ([]Migration, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to connect to %s: %w", db.where, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return nil, fmt.Errorf("failed to lock %s for migrations: %w", db.where, err)
	}
	defer func() {
		// A lost connection releases the lock with the session; if
		// unlocking fails, drop the connection rather than return it
		// to the pool still holding the lock.
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock); err != nil {
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("failed to prepare migrations in %s (hint: may this user create tables there?): %w", db.where, err)
	}
	var current int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return nil, fmt.Errorf("failed to read the schema version of %s: %w", db.where, err)
	}
	all, err := embedded()
	if err != nil {
		return nil, err
	}
	latest := 0
	if len(all) > 0 {
		latest = all[len(all)-1].Version
	}
	if current > latest {
		return nil, fmt.Errorf("database %s has schema version %d, newer than this telltale knows (%d) (hint: upgrade telltale)", db.where, current, latest)
	}
	var applied []Migration
	for _, m := range all {
		if m.Version <= current {
			continue
		}
		body, err := migrations.ReadFile("migrations/" + m.Name)
		if err != nil {
			return applied, err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("failed to apply migration %s to %s: %w", m.Name, db.where, err)
		}
		applied = append(applied, m)
	}
	return applied, nil
}

// embedded lists the embedded migrations in order.
func embedded() ([]Migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s has no number", base)
		}
		out = append(out, Migration{Version: n, Name: base})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Update runs fn in a write transaction: writers from every instance run
// one at a time (see the package documentation). fn runs again, up to a
// few times, if the database reports a serialization failure or deadlock.
func (db *DB) Update(ctx context.Context, fn func(telltale.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.update(ctx, fn)
		if err == nil || attempt == maxAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
		// Back off a little, with jitter, before running fn again.
		d := time.Duration(attempt*attempt) * time.Millisecond
		d += rand.N(d)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(d):
		}
	}
}

func (db *DB) update(ctx context.Context, fn func(telltale.Tx) error) error {
	// LOCK TABLE takes no snapshot: the transaction's snapshot is taken
	// by its first query, after the lock is held. Both statements go in
	// one round trip; if the lock fails, the pool drops the connection
	// (it is left in a failed transaction).
	ptx, err := db.pool.BeginTx(ctx, pgx.TxOptions{BeginQuery: `BEGIN ISOLATION LEVEL REPEATABLE READ; LOCK TABLE write_lock IN EXCLUSIVE MODE`})
	if err != nil {
		return storeError("begin transaction", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	if err := fn(&Tx{ctx: ctx, tx: ptx}); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return storeError("commit", err)
	}
	return nil
}

// View runs fn in a read-only transaction on one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(telltale.Tx) error) error {
	ptx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return storeError("begin transaction", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	return fn(&Tx{ctx: ctx, tx: ptx})
}

// retryable reports whether a transaction failed only because it ran
// concurrently with another: a serialization failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// storeError wraps a database error as an internal error, or as a clear
// user error when the disk is full or the database is read-only.
func storeError(op string, err error) error {
	var te *telltale.Error
	if errors.As(err, &te) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100": // disk_full
			return &telltale.Error{Code: telltale.ESTORAGE, Message: "the disk holding the database is full; nothing was changed (hint: free space on the database server, then retry)", Err: err}
		case pe.Code == "25006": // read_only_sql_transaction
			return &telltale.Error{Code: telltale.ESTORAGE, Message: "the database is read-only; nothing was changed (hint: is telltale connected to a standby instead of the primary?)", Err: err}
		}
	}
	return &telltale.Error{Code: telltale.EINTERNAL, Message: "failed to " + op, Err: err}
}
