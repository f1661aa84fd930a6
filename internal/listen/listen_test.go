package listen

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
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
	case <-time.After(shutdownBudget + 3*time.Second):
		t.Fatal("Serve did not return after its shutdown budget")
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
	case <-time.After(5 * time.Second):
		t.Fatal("a client that reads nothing held its handler for 5 s; want it cut off at the write timeout")
	}
}

// TestConnectionsAreCapped: past the cap, a new client waits until an
// open connection closes, so idle clients cannot grow memory without bound.
func TestConnectionsAreCapped(t *testing.T) {
	ln := loopback(t)
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lim := serving
	lim.maxConns = 2
	go serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), slog.New(slog.DiscardHandler), lim)
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	client := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := client.Get("http://" + addr + "/"); err == nil {
		t.Fatal("a third connection was served past the cap of 2")
	}
	idle[0].Close()
	client.Timeout = 2 * time.Second
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("closing a connection did not free its slot: %v", err)
	}
	resp.Body.Close()
}
