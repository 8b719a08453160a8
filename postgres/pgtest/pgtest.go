// Package pgtest gives tests a PostgreSQL database of their own: the
// server's DSN from the environment, and a fresh schema per test. It lives
// apart from package postgres so that the binary, which imports postgres,
// never links package testing.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// DSN returns the DSN of the PostgreSQL server for tests, from
// HABEAS_TEST_POSTGRES. Without it the test is skipped with a notice, except
// under CI=true, where a missing server is a failure: CI must never pass by
// skipping the PostgreSQL suite.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("HABEAS_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HABEAS_TEST_POSTGRES is not set and CI=true: the PostgreSQL tests must run")
		}
		t.Skip("HABEAS_TEST_POSTGRES is not set; skipping PostgreSQL tests (set it to postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return dsn
}

// Schema creates a fresh schema for one test, so runs never collide,
// drops it when the test ends, and returns a DSN that uses it.
func Schema(t testing.TB, dsn string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "habeas_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx := context.Background()
	// The name is made here from hex digits, never from input.
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema (is PostgreSQL up at %s?): %v", dsn, err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
