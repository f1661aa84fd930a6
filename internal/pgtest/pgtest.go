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

// Server is a PostgreSQL server of a test's own, which the test may stop
// and start again: a database outage, for real.
type Server struct {
	dir, data, opts string
	as              func(name string, args ...string) *exec.Cmd
	// URL is the server's URL, without a database name.
	URL string
}

// Start starts a server of the test's own and returns a URL to a new,
// empty database on it; the server stops when the test ends. Without
// PostgreSQL it skips, or fails under CI=true.
func Start(t testing.TB) (*Server, string) {
	t.Helper()
	s, err := newServer()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL: %v (.ci/run installs Debian's postgresql)", err)
		}
		t.Skipf("PostgreSQL: %v", err)
	}
	t.Cleanup(s.remove)
	if out, err := exec.Command(pgBin("psql"), s.URL+"postgres", "-c", "CREATE DATABASE signpost").CombinedOutput(); err != nil {
		t.Fatalf("create database: %v %s", err, out)
	}
	return s, s.URL + "signpost"
}

// Stop stops the server at once, as a crash or a lost network would:
// connections open are cut.
func (s *Server) Stop() error {
	if out, err := s.as("pg_ctl", "-D", s.data, "-m", "immediate", "-w", "stop").CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl stop: %v %s", err, out)
	}
	return nil
}

// Resume starts the server again on the same port and data.
func (s *Server) Resume() error {
	if out, err := s.as("pg_ctl", "-D", s.data, "-o", s.opts, "-l", filepath.Join(s.dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pg_ctl start: %v %s %s", err, out, log)
	}
	return nil
}

func (s *Server) remove() {
	s.as("pg_ctl", "-D", s.data, "-m", "immediate", "stop").Run()
	os.RemoveAll(s.dir)
}

// startPostgres starts the test binary's shared server.
func startPostgres() (string, error) {
	s, err := newServer()
	if err != nil {
		return "", err
	}
	stopPG = s.remove
	return s.URL, nil
}

// newServer runs initdb and pg_ctl in a new directory, as the postgres
// user when the tests run as root (initdb refuses root), on a free port
// of loopback.
func newServer() (*Server, error) {
	if _, err := os.Stat(pgBin("initdb")); err != nil {
		return nil, fmt.Errorf("no initdb: %w", err)
	}
	dir, err := os.MkdirTemp("", "signpost-pg-")
	if err != nil {
		return nil, err
	}
	as := func(name string, args ...string) *exec.Cmd { return exec.Command(pgBin(name), args...) }
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and no postgres user: %w", err)
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
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{dir: dir, data: filepath.Join(dir, "data"), as: as,
		opts: fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", port, dir),
		URL:  fmt.Sprintf("postgres://signpost@127.0.0.1:%d/", port)}
	if out, err := as("initdb", "-D", s.data, "-U", "signpost", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v %s", err, out)
	}
	if err := s.Resume(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

var stopPG = func() {}

// Stop stops the shared server, if one was started.
func Stop() { stopPG() }
