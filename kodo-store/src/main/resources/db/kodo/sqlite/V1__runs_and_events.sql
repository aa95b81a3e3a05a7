-- The cached summary of each run, derived from its events (RunFold); timestamps are epoch millis.
CREATE TABLE runs (
  fid              TEXT    NOT NULL PRIMARY KEY,
  flow             TEXT    NOT NULL,
  owner            TEXT,
  state            TEXT    NOT NULL,
  progress         REAL    NOT NULL DEFAULT 0,
  progress_message TEXT,
  inputs           TEXT    NOT NULL,
  result           TEXT,
  error            TEXT,
  lock_data        TEXT,
  lock_id          TEXT,
  created          BIGINT  NOT NULL,
  finished         BIGINT,
  acknowledged     BOOLEAN NOT NULL DEFAULT 0,
  last_seq         BIGINT  NOT NULL DEFAULT 0
);

CREATE INDEX runs_created ON runs (created);
CREATE INDEX runs_state_created ON runs (state, created);
CREATE INDEX runs_flow_created ON runs (flow, created);
CREATE INDEX runs_owner_created ON runs (owner, created);

-- The append-only log of each run: the only source of truth.
CREATE TABLE events (
  fid  TEXT   NOT NULL,
  seq  BIGINT NOT NULL,
  ts   BIGINT NOT NULL,
  kind TEXT   NOT NULL,
  type TEXT   NOT NULL,
  data TEXT   NOT NULL,
  PRIMARY KEY (fid, seq)
) WITHOUT ROWID;
