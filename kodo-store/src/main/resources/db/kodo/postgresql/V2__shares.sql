-- Who each run is shared with, derived from its share events in the transaction that appends them.
CREATE TABLE shares (
  fid     TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  level   TEXT NOT NULL,
  mode    TEXT NOT NULL,
  PRIMARY KEY (fid, subject)
);

-- Housekeeping looks for runs that finished long ago.
CREATE INDEX runs_finished ON runs (finished);
