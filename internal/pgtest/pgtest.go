// Package pgtest starts a real PostgreSQL server for tests, from Debian's
// postgresql package, in a temporary directory: no mock, no container.
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var dbs atomic.Int64

var (
	pgOnce sync.Once
	pgURL  string
	pgErr  error
)

// Database starts one real PostgreSQL server for a test binary (Debian's
// postgresql: initdb and pg_ctl in a temporary directory) and returns a
// URL to a new, empty database on it. Without the server it skips, or
// fails under CI=true. Call Stop from TestMain.
func Database(t testing.TB) string {
	t.Helper()
	pgOnce.Do(func() { pgURL, pgErr = startPostgres() })
	if pgErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL: %v (.ci/run installs Debian's postgresql)", pgErr)
		}
		t.Skipf("PostgreSQL: %v", pgErr)
	}
	name := fmt.Sprintf("t%d", time.Now().UnixNano()+dbs.Add(1))
	if out, err := exec.Command(pgBin("psql"), pgURL+"postgres", "-c", "CREATE DATABASE "+name).CombinedOutput(); err != nil {
		t.Fatalf("create database: %v %s", err, out)
	}
	return pgURL + name
}

// pgBin finds a PostgreSQL program on PATH or in Debian's versioned
// directory.
func pgBin(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	return name
}

// startPostgres runs initdb and pg_ctl in a new directory, as the
// postgres user when the tests run as root (initdb refuses root), on a
// free port of loopback, and returns a URL without a database name.
func startPostgres() (string, error) {
	if _, err := os.Stat(pgBin("initdb")); err != nil {
		return "", fmt.Errorf("no initdb: %w", err)
	}
	dir, err := os.MkdirTemp("", "signpost-pg-")
	if err != nil {
		return "", err
	}
	as := func(name string, args ...string) *exec.Cmd { return exec.Command(pgBin(name), args...) }
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", fmt.Errorf("running as root and no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
		as = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", pgBin(name)}, args...)...)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	data := filepath.Join(dir, "data")
	if out, err := as("initdb", "-D", data, "-U", "signpost", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v %s", err, out)
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", port, dir)
	if out, err := as("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return "", fmt.Errorf("pg_ctl start: %v %s %s", err, out, log)
	}
	stopPG = func() { as("pg_ctl", "-D", data, "-m", "immediate", "stop").Run(); os.RemoveAll(dir) }
	return fmt.Sprintf("postgres://signpost@127.0.0.1:%d/", port), nil
}

var stopPG = func() {}

// Stop stops the server, if one was started.
func Stop() { stopPG() }
