// Package listen serves signpost's HTTP endpoints (Slack's Events API,
// Discord's interactions endpoint, the desk, ops) until a context ends,
// then lets requests in flight finish for a bounded time. A gate bounds
// the connections open at once, and one address's, closing quiet ones
// first, so an idle crowd cannot lock a client with a request out.
package listen

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
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
	// perAddress bounds one address's open connections, so one client
	// cannot take them all; past it, its new connections are closed.
	perAddress int
}

var serving = limits{readHeader: 5 * time.Second, read: 10 * time.Second, write: 10 * time.Second,
	idle: 60 * time.Second, maxHeaderBytes: 64 << 10, maxConns: 512, perAddress: 128}

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
	g := newGate(ln, lim.maxConns, lim.perAddress)
	srv.ConnState = g.state
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(g) }()
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
	if n := g.refused.Load(); n > 0 {
		log.Warn("closed connections past the limit for one address", "count", n)
	}
	return nil
}

// gate accepts at most max connections at once, at most perAddress of
// them from one address. When the open connections near the cap, it
// closes the quiet ones first: kept-alive connections between requests,
// and connections that have sent nothing for a second. An idle crowd
// therefore cannot hold every slot until its idle timeout while a client
// with a request waits.
type gate struct {
	net.Listener
	max, perAddress int

	mu      sync.Mutex
	freed   *sync.Cond
	open    int
	byAddr  map[string]int
	quiet   map[*gateConn]quietSince
	waiting int // accepts waiting for a slot, for tests
	refused atomic.Int64
}

// quietSince is when a connection went quiet, and whether it has yet to
// send a request.
type quietSince struct {
	at    time.Time
	fresh bool
}

// freshGrace is how long a new connection may send nothing before it
// counts as quiet.
const freshGrace = time.Second

func newGate(ln net.Listener, max, perAddress int) *gate {
	g := &gate{Listener: ln, max: max, perAddress: perAddress, byAddr: map[string]int{}, quiet: map[*gateConn]quietSince{}}
	g.freed = sync.NewCond(&g.mu)
	return g
}

func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		g.mu.Lock()
		if g.perAddress > 0 && g.byAddr[host] >= g.perAddress {
			// Its own quiet connections make room first: a client that
			// has closed its side may not be noticed yet (a busy machine
			// reads the close late), and a proxy carries many clients on
			// one address. Only a full set of busy ones refuses.
			g.shedWhere(func(c *gateConn) bool { return c.host == host })
		}
		if g.perAddress > 0 && g.byAddr[host] >= g.perAddress {
			g.mu.Unlock()
			g.refused.Add(1)
			c.Close()
			continue
		}
		if g.open >= g.max*3/4 {
			g.shed()
		}
		for g.open >= g.max {
			g.waiting++
			g.freed.Wait()
			g.waiting--
		}
		g.open++
		g.byAddr[host]++
		gc := &gateConn{Conn: c, g: g, host: host}
		g.quiet[gc] = quietSince{at: time.Now(), fresh: true}
		g.mu.Unlock()
		return gc, nil
	}
}

// shed closes the quiet connections; g.mu is held, and released while
// they close.
func (g *gate) shed() { g.shedWhere(func(*gateConn) bool { return true }) }

// shedWhere closes the quiet connections that which picks; g.mu is held,
// and released while they close.
func (g *gate) shedWhere(which func(*gateConn) bool) {
	now := time.Now()
	var closing []*gateConn
	for c, q := range g.quiet {
		if (!q.fresh || now.Sub(q.at) >= freshGrace) && which(c) {
			closing = append(closing, c)
		}
	}
	g.mu.Unlock()
	for _, c := range closing {
		c.Close()
	}
	g.mu.Lock()
}

// state follows each connection: quiet while it waits for a request.
func (g *gate) state(c net.Conn, s http.ConnState) {
	gc, ok := c.(*gateConn)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch s {
	case http.StateIdle:
		g.quiet[gc] = quietSince{at: time.Now()}
	case http.StateActive, http.StateHijacked, http.StateClosed:
		delete(g.quiet, gc)
	}
}

// gateConn gives its slot back when closed, once.
type gateConn struct {
	net.Conn
	g    *gate
	host string
	once sync.Once
}

func (c *gateConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		g := c.g
		g.mu.Lock()
		defer g.mu.Unlock()
		g.open--
		if g.byAddr[c.host]--; g.byAddr[c.host] <= 0 {
			delete(g.byAddr, c.host)
		}
		delete(g.quiet, c)
		g.freed.Broadcast()
	})
	return err
}
