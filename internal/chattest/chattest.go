// Package chattest holds what the adapters' tests share: the real bot over
// the embedded knowledge base, a log sink to read while it is written, and
// a free loopback address. Only tests import it.
package chattest

import (
	"bytes"
	"net"
	"sync"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// Bot is a new real core over the embedded knowledge base (loaded once):
// new each call, so one test's conversations never reach another's.
func Bot() *bot.Bot { return bot.New(base()) }

var base = sync.OnceValue(func() *knowledge.Base {
	b, err := knowledge.Embedded()
	if err != nil {
		panic(err)
	}
	return b
})

// Logs is a log sink that tests read while the code under test writes.
type Logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// FreeAddr is a loopback address nothing listens on, for a server under
// test to listen on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
