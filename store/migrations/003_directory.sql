-- Local services from Open Referral UK feeds, as last fetched: one row a
-- service, keyed by its feed and its id in that feed, holding the record
-- as signpost reads it (JSON), when it was fetched, and the feed's own
-- assured and modified dates. Nothing anyone said is here: these are the
-- council's and its partners' published records. Times are milliseconds
-- since 1970, UTC.
CREATE TABLE directory_services (
  feed        TEXT NOT NULL,
  id          TEXT NOT NULL,
  record      TEXT NOT NULL,
  fetched_at  BIGINT NOT NULL,
  assured_at  BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  PRIMARY KEY (feed, id)
);
-- Each feed's last sync: when it last succeeded and from what date it
-- asked for changes, and its last failure, for /readyz and the operator.
CREATE TABLE directory_feeds (
  feed      TEXT PRIMARY KEY,
  synced_at BIGINT NOT NULL,
  since     BIGINT NOT NULL,
  failed_at BIGINT NOT NULL,
  error     TEXT NOT NULL,
  failures  INTEGER NOT NULL
);
