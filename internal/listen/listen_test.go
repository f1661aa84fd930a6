package listen

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// loopback is a listener on a port the system picks, handed to the server
// under test, so it is reachable before Serve runs and no port is guessed.
func loopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// TestSlowClientDoesNotFailShutdown: a client halfway through its headers
// when serving stops is cut off after the budget, and Serve returns nil:
// a slow client is no failure of signpost's.
func TestSlowClientDoesNotFailShutdown(t *testing.T) {
	ln := loopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, "", ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), slog.New(slog.DiscardHandler))
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial")
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v; want nil when a client is slow at shutdown", err)
		}
	case <-time.After(2 * time.Minute): // only a hang: the client never finishes
		t.Fatal("Serve did not return: it waited on a client that never finishes")
	}
}

// TestClientThatDoesNotReadIsCutOff: a client that sends a request and
// never reads the answer holds a handler only until the write timeout.
func TestClientThatDoesNotReadIsCutOff(t *testing.T) {
	ln := loopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lim := serving
	lim.write = 300 * time.Millisecond
	wrote := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Far more than socket buffers hold, so Write blocks on the client.
		chunk := make([]byte, 1<<20)
		for range 256 {
			if _, err := w.Write(chunk); err != nil {
				wrote <- err
				return
			}
		}
		wrote <- nil
	})
	go serve(ctx, ln, h, slog.New(slog.DiscardHandler), lim)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	select {
	case err := <-wrote:
		if err == nil {
			t.Error("256 MB written to a client that reads nothing")
		}
	case <-time.After(2 * time.Minute): // only a hang: the client never reads
		t.Fatal("a client that reads nothing held its handler; want it cut off at the write timeout")
	}
}

// keptAlive opens a connection, makes one request on it and leaves it open
// between requests, as a kept-alive client (or an idle crowd) does.
func keptAlive(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return c
}

// TestIdleCrowdDoesNotLockOutAClient: connections kept open between
// requests fill every slot, and a client with a request is still served:
// near the cap, quiet connections are closed first.
func TestIdleCrowdDoesNotLockOutAClient(t *testing.T) {
	ln := loopback(t)
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lim := serving
	lim.maxConns = 4
	go serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), slog.New(slog.DiscardHandler), lim)
	for range 4 {
		keptAlive(t, addr)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a client behind an idle crowd of 4 (the cap) was not served: %v", err)
	}
	resp.Body.Close()
}

// TestBusyConnectionsAreCapped: past the cap of connections with requests
// in flight, a new client waits until one finishes, so memory stays
// bounded however many clients connect; decided by the gate's state.
func TestBusyConnectionsAreCapped(t *testing.T) {
	ln := loopback(t)
	addr := ln.Addr().String()
	release := make(chan struct{})
	var entered atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { entered.Add(1); <-release })
	lim := serving
	lim.maxConns = 2
	g := newGate(ln, lim.maxConns, lim.perAddress)
	srv := &http.Server{Handler: h, ConnState: g.state}
	go srv.Serve(g)
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	done := make(chan error, 3)
	get := func() {
		resp, err := client.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}
	go get()
	go get()
	for entered.Load() < 2 {
		runtime.Gosched()
	}
	go get()
	for {
		g.mu.Lock()
		w := g.waiting
		g.mu.Unlock()
		if w == 1 {
			break
		}
		runtime.Gosched()
	}
	if n := entered.Load(); n != 2 {
		t.Fatalf("%d requests in handlers with a cap of 2 connections", n)
	}
	close(release)
	for range 3 {
		if err := <-done; err != nil {
			t.Errorf("request failed once a slot was freed: %v", err)
		}
	}
}

// TestOneAddressCannotTakeEveryConnection: past its limit, an address's
// quiet connections are closed to make room for its new one; with every
// one of them busy, the new one is closed at once, and counted.
func TestOneAddressCannotTakeEveryConnection(t *testing.T) {
	ln := loopback(t)
	addr := ln.Addr().String()
	g := newGate(ln, 8, 2)
	release := make(chan struct{})
	var entered atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" {
			entered.Add(1)
			<-release
		}
	}), ConnState: g.state}
	go srv.Serve(g)
	defer srv.Close()
	defer close(release)

	// Two kept alive between requests: quiet, so a third is served, and
	// the address still holds no more than its two.
	for range 2 {
		keptAlive(t, addr)
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a new connection beside two quiet ones, limit 2: %v; want it served", err)
	}
	resp.Body.Close()
	g.mu.Lock()
	open := g.byAddr["127.0.0.1"]
	g.mu.Unlock()
	if open > 2 || g.refused.Load() != 0 {
		t.Fatalf("address holds %d connections, %d refused; want at most 2 and none refused", open, g.refused.Load())
	}

	// Two busy: a third is refused.
	for range 2 {
		go func() {
			if resp, err := client.Get("http://" + addr + "/busy"); err == nil {
				resp.Body.Close()
			}
		}()
	}
	for entered.Load() < 2 {
		runtime.Gosched()
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
		t.Fatal("a third connection from one address was served beside two busy ones, with a limit of 2")
	}
	if g.refused.Load() != 1 {
		t.Errorf("refused = %d; want 1", g.refused.Load())
	}
}
