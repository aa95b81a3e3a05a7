-- The auth provider's data (docs/security.md#auth-provider); times are epoch millis.
-- Tables are prefixed so that the provider can share a database with the node and the registry.
CREATE TABLE auth_users (
  username      TEXT   NOT NULL PRIMARY KEY,
  password_hash TEXT   NOT NULL,
  roles         TEXT   NOT NULL,
  created       BIGINT NOT NULL
);

CREATE TABLE auth_groups (
  name    TEXT   NOT NULL PRIMARY KEY,
  created BIGINT NOT NULL
);

CREATE TABLE auth_members (
  group_name TEXT NOT NULL,
  username   TEXT NOT NULL,
  PRIMARY KEY (group_name, username)
);

CREATE INDEX auth_members_user ON auth_members (username);

CREATE TABLE auth_grants (
  id       TEXT   NOT NULL PRIMARY KEY,
  subject  TEXT   NOT NULL,
  resource TEXT   NOT NULL,
  mode     TEXT   NOT NULL,
  level    TEXT   NOT NULL,
  created  BIGINT NOT NULL,
  UNIQUE (subject, resource, mode)
);

CREATE TABLE auth_clients (
  client_id   TEXT   NOT NULL PRIMARY KEY,
  kind        TEXT   NOT NULL,
  node        TEXT,
  secret_hash TEXT   NOT NULL,
  created     BIGINT NOT NULL
);

-- RSA signing keys: the current one has retired NULL; a retired one stays published until expires.
CREATE TABLE auth_keys (
  kid         TEXT   NOT NULL PRIMARY KEY,
  private_key TEXT   NOT NULL,
  public_key  TEXT   NOT NULL,
  created     BIGINT NOT NULL,
  retired     BIGINT,
  expires     BIGINT
);

-- Refresh tokens, by the SHA-256 of the token (the token itself is never stored).
CREATE TABLE auth_refresh_tokens (
  token_hash TEXT   NOT NULL PRIMARY KEY,
  username   TEXT   NOT NULL,
  created    BIGINT NOT NULL,
  expires    BIGINT NOT NULL
);

CREATE INDEX auth_refresh_tokens_user ON auth_refresh_tokens (username);
