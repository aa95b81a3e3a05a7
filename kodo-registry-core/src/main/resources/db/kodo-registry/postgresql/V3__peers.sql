-- The registries this one federates with (see dev.kodo.registry.Peer).
CREATE TABLE registry_peers (
  name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  url   TEXT,
  role  TEXT   NOT NULL,
  added BIGINT NOT NULL
);
