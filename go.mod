module github.com/bathnes/signpost

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/gorilla/websocket v1.5.3
	github.com/kljensen/snowball v0.10.0
	github.com/sahilm/fuzzy v0.1.3
	github.com/slack-go/slack v0.35.0
)
