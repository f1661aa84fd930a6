-- What signpost keeps of its answers and of the votes on them. No user id
-- or name is ever stored: a conversation is a random id, a voter a keyed
-- hash. Question text is kept only when signpost could not answer it or an
-- answer was voted unhelpful, scrubbed, and is deleted after [store]
-- keep_days. Times are milliseconds since 1970, UTC.
CREATE TABLE answers (
  id           TEXT PRIMARY KEY,
  at           BIGINT NOT NULL,
  platform     TEXT NOT NULL,
  conversation TEXT NOT NULL,
  outcome      TEXT NOT NULL,
  top          TEXT NOT NULL,
  confidence   DOUBLE PRECISION NOT NULL,
  place        TEXT NOT NULL,
  text         TEXT
);
CREATE INDEX answers_at ON answers (at);
CREATE TABLE votes (
  answer_id TEXT NOT NULL,
  voter     TEXT NOT NULL,
  helpful   INTEGER NOT NULL,
  at        BIGINT NOT NULL,
  text      TEXT,
  PRIMARY KEY (answer_id, voter)
);
CREATE INDEX votes_at ON votes (at);
-- Settings the store keeps for itself: the key that hashes voters.
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
