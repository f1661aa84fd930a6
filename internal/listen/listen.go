// Package listen serves an adapter's HTTP endpoints (Slack's Events API,
// Discord's interactions endpoint) until a context ends, then lets requests
// in flight finish for a bounded time.
package listen

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// limits bound what a hostile or broken client can hold. A platform's
// requests are a few kilobytes and answered in milliseconds.
type limits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
	// maxConns bounds open connections: past it, new ones wait to be
	// accepted, so memory stays bounded however many clients connect.
	maxConns int
}

var serving = limits{readHeader: 5 * time.Second, read: 10 * time.Second, write: 10 * time.Second,
	idle: 60 * time.Second, maxHeaderBytes: 64 << 10, maxConns: 512}

// shutdownBudget is how long requests in flight may take to finish once
// serving stops; slower clients are cut off, and that is no failure.
const shutdownBudget = 2 * time.Second

// Serve serves h on ln, or on addr when ln is nil, until ctx ends. Tests
// hand down a listener on 127.0.0.1:0, so no port is ever guessed. It
// returns an error only if it cannot listen or the server fails, never
// because a client was slow to finish when it stopped.
func Serve(ctx context.Context, addr string, ln net.Listener, h http.Handler, log *slog.Logger) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", addr); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
	}
	return serve(ctx, ln, h, log, serving)
}

func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, lim limits) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: lim.readHeader, ReadTimeout: lim.read,
		WriteTimeout: lim.write, IdleTimeout: lim.idle, MaxHeaderBytes: lim.maxHeaderBytes}
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(Limit(ln, lim.maxConns)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownBudget)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		// A client still sending headers or a body: cut it off.
		srv.Close()
		log.Info("closed slow connections at shutdown")
	}
	return nil
}

// Limit accepts at most n connections at once from ln.
func Limit(ln net.Listener, n int) net.Listener {
	return &limited{Listener: ln, slots: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	slots chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &slotConn{Conn: c, free: func() { <-l.slots }}, nil
}

// slotConn gives its slot back when closed, once.
type slotConn struct {
	net.Conn
	once sync.Once
	free func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.free)
	return err
}
