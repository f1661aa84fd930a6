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

// Limits. A platform's requests are a few kilobytes and answered in
// milliseconds; these bound what a hostile or broken client can hold.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
	// maxConns bounds open connections: past it, new ones wait to be
	// accepted, so memory stays bounded however many clients connect.
	maxConns = 512
	// shutdownBudget is how long requests in flight may take to finish
	// once serving stops; slower clients are cut off, and that is no
	// failure.
	shutdownBudget = 2 * time.Second
)

// Serve listens on addr and serves h until ctx ends. It returns an error
// only if it cannot listen or the server fails, never because a client
// was slow to finish when it stopped.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(Limit(ln, maxConns)) }()
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
