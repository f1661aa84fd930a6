package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is signpost's whole configuration, read once from config.toml.
// Every key is documented in config.toml. Secrets never live here: they come
// from the environment.
type Config struct {
	Knowledge struct {
		// Path is a directory of TOML files or one file; empty means the
		// knowledge base embedded in the binary.
		Path string `toml:"path"`
	} `toml:"knowledge"`
	Log struct {
		// Level is debug, info, warn or error.
		Level string `toml:"level"`
	} `toml:"log"`
	Serve struct {
		// Queue bounds the answers waiting to be sent, per platform.
		Queue int `toml:"queue"`
		// Workers bounds the answers being sent at once, per platform.
		Workers int `toml:"workers"`
		// ShutdownGrace is how long a shutdown keeps sending answers
		// already acknowledged.
		ShutdownGrace duration `toml:"shutdown_grace"`
		// AreasFile keeps the areas set with `area <place>` across
		// restarts; relative to the config file's directory. Empty keeps
		// them in memory only.
		AreasFile string `toml:"areas_file"`
	} `toml:"serve"`
	Directory struct {
		// Feeds are Open Referral UK feeds (an API's base URL, or a file)
		// that serve and web read into the store and refresh.
		Feeds []string `toml:"feeds"`
		// Refresh is how often serve and web read the feeds again.
		Refresh duration `toml:"refresh"`
		// StaleAfter is the age past which a service's answer says how
		// long ago it was last checked.
		StaleAfter duration `toml:"stale_after"`
	} `toml:"directory"`
	Ops struct {
		// Listen is where /healthz, /readyz and /metrics are served;
		// empty (the default) serves none of them.
		Listen string `toml:"listen"`
	} `toml:"ops"`
	Slack struct {
		// Enabled switches the adapter on or off; unset means on when
		// SLACK_BOT_TOKEN is in the environment.
		Enabled *bool `toml:"enabled"`
		// Mode is "socket" (default) or "http".
		Mode string `toml:"mode"`
		// Listen is the HTTP Events API address, for mode "http".
		Listen string `toml:"listen"`
		// APIURL is Slack's Web API base; empty means Slack's own.
		APIURL string `toml:"api_url"`
	} `toml:"slack"`
	Discord struct {
		// Enabled switches the adapter on or off; unset means on when
		// DISCORD_BOT_TOKEN is in the environment.
		Enabled *bool `toml:"enabled"`
		// Mode is "gateway" (default) or "http".
		Mode string `toml:"mode"`
		// Listen is the interactions endpoint's address, for mode "http".
		Listen string `toml:"listen"`
		// APIURL is Discord's REST base; empty means Discord's own.
		APIURL string `toml:"api_url"`
		// GuildID registers /signpost on one server only, where changes
		// show at once; empty registers it everywhere.
		GuildID string `toml:"guild_id"`
	} `toml:"discord"`
	Web struct {
		// Enabled runs the staff desk beside the chat adapters in
		// `signpost serve`; `signpost web` runs it alone.
		Enabled bool `toml:"enabled"`
		// Listen is the desk's address; loopback (127.0.0.1:8080)
		// unless set.
		Listen string `toml:"listen"`
		// Auth asks every request for the token in SIGNPOST_WEB_TOKEN.
		Auth bool `toml:"auth"`
	} `toml:"web"`
	Store struct {
		// Enabled keeps a record of answers and votes (see the README's
		// privacy section); false keeps nothing.
		Enabled bool `toml:"enabled"`
		// URL is a PostgreSQL URL; empty keeps the records in SQLite at
		// Path, relative to the config file's directory.
		URL  string `toml:"url"`
		Path string `toml:"path"`
		// KeepDays is how long question text is kept, in days.
		KeepDays int `toml:"keep_days"`
		// Console records `signpost chat` too; off unless asked.
		Console bool `toml:"console"`
	} `toml:"store"`
	// Areas bind chat channels to places, so "here" in them means that
	// place: channel id = place name, per platform.
	Areas struct {
		Slack   map[string]string `toml:"slack"`
		Discord map[string]string `toml:"discord"`
	} `toml:"areas"`
}

// DefaultConfig is the configuration with no file: the embedded knowledge
// base and warnings only, so `signpost chat` needs no setup.
func DefaultConfig() Config {
	var c Config
	c.Log.Level = "warn"
	c.Serve.Queue = 1000
	c.Serve.ShutdownGrace = duration(10 * time.Second)
	c.Serve.AreasFile = "signpost-areas.json"
	c.Slack.Mode = "socket"
	// Each listener its own port: the desk keeps 8080, the address the
	// README gives for `signpost web`.
	c.Slack.Listen = "127.0.0.1:8081"
	c.Discord.Mode = "gateway"
	c.Discord.Listen = "127.0.0.1:8082"
	c.Store.Enabled = true
	c.Store.Path = "signpost.db"
	c.Store.KeepDays = 90
	c.Directory.Refresh = duration(6 * time.Hour)
	c.Directory.StaleAfter = duration(365 * 24 * time.Hour)
	return c
}

// ReadConfigFile reads path over the defaults. A missing file is not an
// error when optional is set (the default config.toml may be absent).
func ReadConfigFile(path string, optional bool) (Config, error) {
	c := DefaultConfig()
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			// The store's file sits beside the config: with no config,
			// nothing is kept.
			c.Store.Enabled = false
			return c, nil
		}
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return c, fmt.Errorf("read config %s: unknown key %q", path, un[0].String())
	}
	if _, err := c.level(); err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	if c.Serve.AreasFile != "" && !filepath.IsAbs(c.Serve.AreasFile) {
		c.Serve.AreasFile = filepath.Join(filepath.Dir(path), c.Serve.AreasFile)
	}
	if c.Store.Path != "" && !filepath.IsAbs(c.Store.Path) {
		c.Store.Path = filepath.Join(filepath.Dir(path), c.Store.Path)
	}
	if c.Store.KeepDays < 1 {
		return c, fmt.Errorf("read config %s: [store] keep_days must be 1 or more", path)
	}
	return c, nil
}

// duration is a time.Duration written as in Go ("10s", "1m30s").
type duration time.Duration

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil || v < 0 {
		return fmt.Errorf("duration %q: want e.g. \"10s\"", b)
	}
	*d = duration(v)
	return nil
}

func (c Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", c.Log.Level)
	}
	return l, nil
}
