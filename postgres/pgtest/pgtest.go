// Package pgtest gives tests a fresh PostgreSQL database of their own.
//
// Tests that need PostgreSQL read the server's URL from the environment
// variable TELLTALE_TEST_DATABASE (for example
// postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable; .ci/run
// starts a throwaway server and sets it). Without it they skip, saying
// why; with TELLTALE_REQUIRE_DATABASE=1 (as in CI) they fail instead.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable holding the test server's URL.
const Env = "TELLTALE_TEST_DATABASE"

// URL creates an empty database named after a random suffix on the test
// server and returns its URL; the database is dropped when the test ends.
// It skips the test if no test server is configured.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv("TELLTALE_REQUIRE_DATABASE") != "" {
			t.Fatalf("%s is not set but TELLTALE_REQUIRE_DATABASE is: this test needs PostgreSQL", Env)
		}
		t.Skipf("skipped: this test needs PostgreSQL; set %s to a PostgreSQL URL (.ci/run starts one)", Env)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s=%q: want a URL such as postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", Env, base)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "telltale_test_" + hex.EncodeToString(b)
	admin(t, base, `CREATE DATABASE `+name)
	t.Cleanup(func() { admin(t, base, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
	u.Path = "/" + name
	return u.String()
}

// admin runs one statement on the test server's own database.
func admin(t testing.TB, base, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to the test database server (%s): %v", Env, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
