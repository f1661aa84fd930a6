package chattest

import (
	"net/http"
	"testing"

	"github.com/gorilla/websocket"
)

// ServeGateway serves a fake Discord gateway on mux, at /gw and below it
// (discordgo adds the version and encoding): each connection is upgraded
// to a websocket and run by session in its own goroutine, as Discord runs
// one session a connection. What a session says is the test's.
func ServeGateway(t testing.TB, mux *http.ServeMux, session func(*websocket.Conn)) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	gw := func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Errorf("gateway upgrade: %v", err)
			return
		}
		go session(ws)
	}
	mux.HandleFunc("/gw", gw)
	mux.HandleFunc("/gw/", gw)
}
