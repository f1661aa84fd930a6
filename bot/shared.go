package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"time"
)

// Shared is state every replica sees (store/ keeps it in PostgreSQL):
// conversations, with their expiry, and the areas channels are bound to.
// When it fails, the bot answers from its own memory and says so, once a
// minute, in the log.
type Shared interface {
	LoadConversation(ctx context.Context, key string) ([]byte, error)
	SaveConversation(ctx context.Context, key string, data []byte, ttl time.Duration) error
	Area(ctx context.Context, channel string) (string, error)
	AreaStore
}

// Share makes the bot keep its conversations and channel areas in s, so
// that any replica can continue any conversation. key keys the hash that
// conversations are kept under: the platform's ids (channel, user) are
// never written.
func (b *Bot) Share(s Shared, key []byte, log *slog.Logger) {
	b.shared, b.shareKey, b.log = s, key, log
	b.store = s
}

// sharedWait bounds a call to the shared store: an answer never waits
// longer for it.
const sharedWait = 2 * time.Second

// conversationKey is a conversation's key in the shared store.
func (b *Bot) conversationKey(conv string) string {
	mac := hmac.New(sha256.New, b.shareKey)
	mac.Write([]byte(conv))
	return hex.EncodeToString(mac.Sum(nil))
}

// load is a conversation's state: the shared store's when there is one
// and it answers, else this process's memory.
func (b *Bot) load(ctx context.Context, conv string) state {
	if b.shared == nil || conv == "" {
		return b.mem.get(conv)
	}
	ctx, cancel := context.WithTimeout(ctx, sharedWait)
	defer cancel()
	data, err := b.shared.LoadConversation(ctx, b.conversationKey(conv))
	if err != nil {
		b.alone(err)
		return b.mem.get(conv)
	}
	var s savedState
	if data != nil && json.Unmarshal(data, &s) == nil {
		return s.state()
	}
	return state{}
}

// save keeps a conversation's state in memory and, when shared, in the
// shared store, before the answer goes out: the next message may reach
// another replica.
func (b *Bot) save(ctx context.Context, conv string, st state) {
	b.mem.put(conv, st)
	if b.shared == nil || conv == "" {
		return
	}
	var data []byte // an empty state is forgotten, as memory forgets it
	if !st.empty() {
		data, _ = json.Marshal(saved(st))
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedWait)
	defer cancel()
	if err := b.shared.SaveConversation(ctx, b.conversationKey(conv), data, conversationTTL); err != nil {
		b.alone(err)
	}
}

// boundTo is the place a channel is bound to: the shared store's binding
// when there is one and it answers, else this process's (config.toml's
// [areas], which every replica reads alike).
func (b *Bot) boundTo(channel string) string {
	if b.shared == nil || channel == "" {
		return b.bound.get(channel)
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedWait)
	defer cancel()
	place, err := b.shared.Area(ctx, channel)
	if err != nil {
		b.alone(err)
	}
	if place == "" {
		return b.bound.get(channel)
	}
	return place
}

// alone says, at most once a minute, that the bot is answering without
// the shared store.
func (b *Bot) alone(err error) {
	now := time.Now().Unix()
	if last := b.aloneAt.Load(); now-last >= 60 && b.aloneAt.CompareAndSwap(last, now) && b.log != nil {
		b.log.Warn("running without shared state: answering from this replica's memory", "err", err)
	}
}

// savedState is a conversation as the shared store keeps it.
type savedState struct {
	Place   string   `json:"place,omitempty"`
	Topic   string   `json:"topic,omitempty"`
	Service string   `json:"service,omitempty"`
	Near    string   `json:"near,omitempty"`
	Local   string   `json:"local,omitempty"`
	Search  *search  `json:"search,omitempty"`
	Told    []string `json:"told,omitempty"`
	Waiting string   `json:"waiting,omitempty"`
	Asked   int      `json:"asked,omitempty"`
	Offered []Choice `json:"offered,omitempty"`
	Finder  *struct {
		Who, What, Band, Place, About string
		Step, Asked                   int
	} `json:"finder,omitempty"`
	ID    string     `json:"id,omitempty"`
	Heard [][]string `json:"heard,omitempty"`
}

func saved(st state) savedState {
	s := savedState{Place: st.place, Topic: st.topic, Service: st.service, Near: st.near, Local: st.local, Told: st.told, Waiting: st.waiting, Asked: st.asked, Offered: st.offered, ID: st.id}
	if st.search != (search{}) {
		s.Search = &st.search
	}
	if f := st.finder; f != nil {
		s.Finder = &struct {
			Who, What, Band, Place, About string
			Step, Asked                   int
		}{f.who, f.what, f.band, f.place, f.about, f.step, f.asked}
	}
	for _, h := range st.heard {
		s.Heard = append(s.Heard, []string{h.id, h.text})
	}
	return s
}

func (s savedState) state() state {
	st := state{place: s.Place, topic: s.Topic, service: s.Service, near: s.Near, local: s.Local, told: s.Told, waiting: s.Waiting, asked: s.Asked, offered: s.Offered, id: s.ID}
	if s.Search != nil {
		st.search = *s.Search
	}
	if f := s.Finder; f != nil {
		st.finder = &finder{who: f.Who, what: f.What, band: f.Band, place: f.Place, about: f.About, step: f.Step, asked: f.Asked}
	}
	for _, h := range s.Heard {
		if len(h) == 2 {
			st.heard = append(st.heard, heard{h[0], h[1]})
		}
	}
	return st
}
