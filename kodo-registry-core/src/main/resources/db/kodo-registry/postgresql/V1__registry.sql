-- The registry's knowledge of nodes and their flows; times are epoch millis, lists and maps JSON.
-- Tables are prefixed so that the registry can share a schema with the event store.
-- Text keys use the "C" collation so that ordering matches SQLite's byte order.
CREATE TABLE registry_nodes (
  name         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  url          TEXT,
  registered   BIGINT           NOT NULL,
  connected    BOOLEAN          NOT NULL DEFAULT FALSE,
  heartbeat    BIGINT,
  health       TEXT             NOT NULL DEFAULT '{}',
  flow_usage   TEXT             NOT NULL DEFAULT '{}',
  availability DOUBLE PRECISION,
  latency      DOUBLE PRECISION,
  tags         TEXT             NOT NULL DEFAULT '[]',
  origin       TEXT,
  via          TEXT COLLATE "C"
);

CREATE INDEX registry_nodes_via ON registry_nodes (via);

-- The flows each node announced (validated), replaced as a whole on each connect.
CREATE TABLE registry_flows (
  node         TEXT COLLATE "C" NOT NULL,
  path         TEXT COLLATE "C" NOT NULL,
  name         TEXT             NOT NULL,
  description  TEXT             NOT NULL,
  author       TEXT             NOT NULL,
  organization TEXT             NOT NULL,
  published    BIGINT,
  flow_release TEXT             NOT NULL,
  tags         TEXT             NOT NULL,
  PRIMARY KEY (node, path)
);

-- What admins set over what nodes announce; path '' is the node itself. tags NULL keeps the announced ones.
CREATE TABLE registry_constraints (
  node   TEXT COLLATE "C" NOT NULL,
  path   TEXT COLLATE "C" NOT NULL,
  tags   TEXT,
  hidden BOOLEAN          NOT NULL DEFAULT FALSE,
  notes  TEXT,
  PRIMARY KEY (node, path)
);

-- Sampled liveness of each node (about one row per node per minute), pruned after the retention.
CREATE TABLE registry_health (
  node         TEXT COLLATE "C" NOT NULL,
  sampled_at   BIGINT           NOT NULL,
  online       BOOLEAN          NOT NULL,
  health       TEXT             NOT NULL,
  availability DOUBLE PRECISION,
  latency      DOUBLE PRECISION,
  PRIMARY KEY (node, sampled_at)
);

CREATE INDEX registry_health_sampled_at ON registry_health (sampled_at);
