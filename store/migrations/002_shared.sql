-- State every replica shares when the store is PostgreSQL: conversations
-- (under a keyed hash of the platform's conversation key, never the key
-- itself), channel areas, and the ids of requests already answered, so
-- each is answered once whichever replica it reaches. Times are
-- milliseconds since 1970, UTC.
CREATE TABLE conversations (
  key     TEXT PRIMARY KEY,
  data    TEXT NOT NULL,
  expires BIGINT NOT NULL
);
CREATE INDEX conversations_expires ON conversations (expires);
CREATE TABLE areas (
  channel TEXT PRIMARY KEY,
  place   TEXT NOT NULL
);
CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL
);
CREATE INDEX claims_at ON claims (at);
