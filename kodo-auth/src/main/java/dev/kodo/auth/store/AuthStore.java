package dev.kodo.auth.store;

import dev.kodo.client.KodoException;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Role;
import dev.kodo.client.access.Subjects;
import dev.kodo.store.SerialDatabase;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The auth provider's tables (docs/security.md#auth-provider) in a {@link StoreDatabase} — SQLite
 * or PostgreSQL, migrated from {@code db/kodo-auth} with its own history table {@code
 * auth_schema_history}, so they live beside the node's and the registry's — reached through one
 * connection that runs one transaction at a time (the provider writes little; logins read one row).
 * Holds hashes only: passwords, client secrets and refresh tokens are never stored in clear.
 * Thread-safe.
 */
public final class AuthStore implements AutoCloseable {
  private static final StoreDatabase.Layout LAYOUT =
      new StoreDatabase.Layout("auth store", "db/kodo-auth", "auth_schema_history", "kodo-auth");

  private final SerialDatabase db;

  private AuthStore(SerialDatabase db) {
    this.db = db;
  }

  /**
   * Opens and migrates the database the options point at.
   *
   * @throws KodoException saying what is wrong with the options or the database
   */
  public static AuthStore open(StoreOptions options) {
    return new AuthStore(SerialDatabase.open(options, LAYOUT));
  }

  /** Where the database is, safe to log. */
  public String describe() {
    return db.describe();
  }

  // ---- users ----

  public long countUsers() {
    return tx("count users", c -> count(c, "SELECT COUNT(*) FROM auth_users"));
  }

  /** Adds a user; false if the name is taken. Unknown groups are created. */
  public boolean addUser(String username, String hash, Set<Role> roles, Collection<String> groups) {
    return tx(
        "add user " + username,
        c -> {
          if (exists(c, "SELECT 1 FROM auth_users WHERE username = ?", username)) return false;
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO auth_users (username, password_hash, roles, created) VALUES (?, ?, ?, ?)")) {
            s.setString(1, username);
            s.setString(2, hash);
            s.setString(3, roles(roles));
            s.setLong(4, System.currentTimeMillis());
            s.executeUpdate();
          }
          setGroupsOf(c, username, groups);
          return true;
        });
  }

  public Optional<StoredUser> user(String username) {
    return tx("read user " + username, c -> Optional.ofNullable(readUser(c, username)));
  }

  /** Every user, by name. */
  public List<StoredUser> users() {
    return tx(
        "list users",
        c -> {
          Map<String, List<String>> groups = memberships(c);
          List<StoredUser> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT username, roles, created FROM auth_users ORDER BY username");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              String name = r.getString(1);
              out.add(
                  new StoredUser(
                      name,
                      parseRoles(r.getString(2)),
                      groups.getOrDefault(name, List.of()),
                      r.getLong(3)));
            }
          }
          return out;
        });
  }

  /** The user's password hash, if the user exists. */
  public Optional<String> passwordHash(String username) {
    return tx(
        "read user " + username,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT password_hash FROM auth_users WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  /** Replaces roles and groups (and the password hash if not null); false if no such user. */
  public boolean updateUser(
      String username, String hash, Set<Role> roles, Collection<String> groups) {
    return tx(
        "update user " + username,
        c -> {
          if (!exists(c, "SELECT 1 FROM auth_users WHERE username = ?", username)) return false;
          if (roles != null) {
            update(c, "UPDATE auth_users SET roles = ? WHERE username = ?", roles(roles), username);
          }
          if (hash != null) setHash(c, username, hash);
          if (groups != null) setGroupsOf(c, username, groups);
          return true;
        });
  }

  /** Sets the password hash and drops the user's refresh tokens; false if no such user. */
  public boolean setPassword(String username, String hash) {
    return tx(
        "change the password of " + username,
        c -> {
          if (!exists(c, "SELECT 1 FROM auth_users WHERE username = ?", username)) return false;
          setHash(c, username, hash);
          update(c, "DELETE FROM auth_refresh_tokens WHERE username = ?", username);
          return true;
        });
  }

  /** Removes a user with its memberships, grants and refresh tokens; false if no such user. */
  public boolean deleteUser(String username) {
    return tx(
        "delete user " + username,
        c -> {
          if (update(c, "DELETE FROM auth_users WHERE username = ?", username) == 0) return false;
          update(c, "DELETE FROM auth_members WHERE username = ?", username);
          update(c, "DELETE FROM auth_refresh_tokens WHERE username = ?", username);
          update(c, "DELETE FROM auth_grants WHERE subject = ?", Subjects.user(username));
          return true;
        });
  }

  // ---- groups ----

  /** Adds a group; false if the name is taken. */
  public boolean addGroup(String name, Collection<String> members) {
    return tx(
        "add group " + name,
        c -> {
          if (exists(c, "SELECT 1 FROM auth_groups WHERE name = ?", name)) return false;
          insertGroup(c, name);
          setMembers(c, name, members);
          return true;
        });
  }

  public Optional<StoredGroup> group(String name) {
    return tx(
        "read group " + name,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT created FROM auth_groups WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) return Optional.<StoredGroup>empty();
              return Optional.of(new StoredGroup(name, members(c, name), r.getLong(1)));
            }
          }
        });
  }

  public List<StoredGroup> groups() {
    return tx(
        "list groups",
        c -> {
          Map<String, List<String>> members = new LinkedHashMap<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT group_name, username FROM auth_members ORDER BY username");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              members.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
            }
          }
          List<StoredGroup> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement("SELECT name, created FROM auth_groups ORDER BY name");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              String name = r.getString(1);
              out.add(new StoredGroup(name, members.getOrDefault(name, List.of()), r.getLong(2)));
            }
          }
          return out;
        });
  }

  /** Replaces a group's members; false if no such group. */
  public boolean setGroupMembers(String name, Collection<String> members) {
    return tx(
        "update group " + name,
        c -> {
          if (!exists(c, "SELECT 1 FROM auth_groups WHERE name = ?", name)) return false;
          setMembers(c, name, members);
          return true;
        });
  }

  /** Removes a group, its memberships and its grants; false if no such group. */
  public boolean deleteGroup(String name) {
    return tx(
        "delete group " + name,
        c -> {
          if (update(c, "DELETE FROM auth_groups WHERE name = ?", name) == 0) return false;
          update(c, "DELETE FROM auth_members WHERE group_name = ?", name);
          update(c, "DELETE FROM auth_grants WHERE subject = ?", Subjects.group(name));
          return true;
        });
  }

  /** Which of {@code usernames} are not users. */
  public List<String> unknownUsers(Collection<String> usernames) {
    return tx(
        "check users",
        c -> {
          List<String> out = new ArrayList<>();
          for (String u : usernames) {
            if (!exists(c, "SELECT 1 FROM auth_users WHERE username = ?", u)) out.add(u);
          }
          return out;
        });
  }

  // ---- grants ----

  /** Adds a grant; false if the same subject, resource and mode already has one. */
  public boolean addGrant(Grant g) {
    return tx(
        "add a grant for " + g.subject(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM auth_grants WHERE subject = ? AND resource = ? AND mode = ?")) {
            s.setString(1, g.subject());
            s.setString(2, g.resource());
            s.setString(3, g.mode());
            try (ResultSet r = s.executeQuery()) {
              if (r.next()) return false;
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO auth_grants (id, subject, resource, mode, level, created)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, g.id());
            s.setString(2, g.subject());
            s.setString(3, g.resource());
            s.setString(4, g.mode());
            s.setString(5, g.level());
            s.setLong(6, System.currentTimeMillis());
            s.executeUpdate();
          }
          return true;
        });
  }

  /** Every grant, oldest first. */
  public List<Grant> grants() {
    return tx(
        "list grants",
        c -> {
          List<Grant> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT id, subject, resource, mode, level FROM auth_grants"
                          + " ORDER BY created, id");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              out.add(
                  new Grant(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      r.getString(4),
                      r.getString(5)));
            }
          }
          return out;
        });
  }

  public boolean deleteGrant(String id) {
    return tx("delete grant " + id, c -> update(c, "DELETE FROM auth_grants WHERE id = ?", id) > 0);
  }

  // ---- clients ----

  /** Adds a client; false if the id is taken. */
  public boolean addClient(StoredClient client, String secretHash) {
    return tx(
        "add client " + client.clientId(),
        c -> {
          if (exists(c, "SELECT 1 FROM auth_clients WHERE client_id = ?", client.clientId())) {
            return false;
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO auth_clients (client_id, kind, node, secret_hash, created)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, client.clientId());
            s.setString(2, client.kind());
            s.setString(3, client.node());
            s.setString(4, secretHash);
            s.setLong(5, client.created());
            s.executeUpdate();
          }
          return true;
        });
  }

  /** Replaces a client's secret hash (a re-encoded one); false if no such client. */
  public boolean setClientSecretHash(String clientId, String secretHash) {
    return tx(
        "update client " + clientId,
        c ->
            update(
                    c,
                    "UPDATE auth_clients SET secret_hash = ? WHERE client_id = ?",
                    secretHash,
                    clientId)
                > 0);
  }

  public Optional<StoredClient> client(String clientId) {
    return tx(
        "read client " + clientId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT client_id, kind, node, created FROM auth_clients WHERE client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(client(r)) : Optional.<StoredClient>empty();
            }
          }
        });
  }

  /** The client's secret hash, if the client exists. */
  public Optional<String> clientSecretHash(String clientId) {
    return tx(
        "read client " + clientId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT secret_hash FROM auth_clients WHERE client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  public List<StoredClient> clients() {
    return tx(
        "list clients",
        c -> {
          List<StoredClient> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT client_id, kind, node, created FROM auth_clients ORDER BY client_id");
              ResultSet r = s.executeQuery()) {
            while (r.next()) out.add(client(r));
          }
          return out;
        });
  }

  /** Removes a client and its grants; false if no such client. */
  public boolean deleteClient(String clientId) {
    return tx(
        "delete client " + clientId,
        c -> {
          Optional<StoredClient> found;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT client_id, kind, node, created FROM auth_clients WHERE client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet r = s.executeQuery()) {
              found = r.next() ? Optional.of(client(r)) : Optional.empty();
            }
          }
          if (found.isEmpty()) return false;
          update(c, "DELETE FROM auth_clients WHERE client_id = ?", clientId);
          update(c, "DELETE FROM auth_grants WHERE subject = ?", found.get().subject());
          return true;
        });
  }

  // ---- keys ----

  /** Every stored key, newest first. */
  public List<StoredKey> keys() {
    return tx(
        "read the signing keys",
        c -> {
          List<StoredKey> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT kid, private_key, public_key, created, retired, expires"
                          + " FROM auth_keys ORDER BY created DESC, kid");
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              long retired = r.getLong(5);
              Long ret = r.wasNull() ? null : retired;
              long expires = r.getLong(6);
              Long exp = r.wasNull() ? null : expires;
              out.add(
                  new StoredKey(
                      r.getString(1), r.getString(2), r.getString(3), r.getLong(4), ret, exp));
            }
          }
          return out;
        });
  }

  /**
   * Makes {@code key} the current key: the current ones are retired now and expire at {@code
   * expires}; keys expired before {@code now} are deleted.
   */
  public void rotate(StoredKey key, long now, long expires) {
    tx(
        "store a new signing key",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE auth_keys SET retired = ?, expires = ? WHERE retired IS NULL")) {
            s.setLong(1, now);
            s.setLong(2, expires);
            s.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM auth_keys WHERE expires IS NOT NULL AND expires < ?")) {
            s.setLong(1, now);
            s.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO auth_keys (kid, private_key, public_key, created) VALUES (?, ?, ?, ?)")) {
            s.setString(1, key.kid());
            s.setString(2, key.privateKey());
            s.setString(3, key.publicKey());
            s.setLong(4, key.created());
            s.executeUpdate();
          }
          return null;
        });
  }

  // ---- refresh tokens ----

  public void addRefreshToken(String hash, String username, long now, long expires) {
    tx(
        "store a refresh token",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO auth_refresh_tokens (token_hash, username, created, expires)"
                      + " VALUES (?, ?, ?, ?)")) {
            s.setString(1, hash);
            s.setString(2, username);
            s.setLong(3, now);
            s.setLong(4, expires);
            s.executeUpdate();
          }
          // expired ones go as new ones come, so the table holds live tokens only
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM auth_refresh_tokens WHERE expires < ?")) {
            s.setLong(1, now);
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Removes the refresh token with this hash and answers its user if it had not expired: a refresh
   * token is used once.
   */
  public Optional<String> takeRefreshToken(String hash, long now) {
    return tx(
        "use a refresh token",
        c -> {
          String user = null;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT username, expires FROM auth_refresh_tokens WHERE token_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet r = s.executeQuery()) {
              if (r.next() && r.getLong(2) > now) user = r.getString(1);
            }
          }
          update(c, "DELETE FROM auth_refresh_tokens WHERE token_hash = ?", hash);
          return Optional.ofNullable(user);
        });
  }

  // ---- helpers ----

  private static StoredClient client(ResultSet r) throws SQLException {
    return new StoredClient(r.getString(1), r.getString(2), r.getString(3), r.getLong(4));
  }

  private static StoredUser readUser(Connection c, String username) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT roles, created FROM auth_users WHERE username = ?")) {
      s.setString(1, username);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return null;
        List<String> groups = new ArrayList<>();
        try (PreparedStatement g =
            c.prepareStatement(
                "SELECT group_name FROM auth_members WHERE username = ? ORDER BY group_name")) {
          g.setString(1, username);
          try (ResultSet gr = g.executeQuery()) {
            while (gr.next()) groups.add(gr.getString(1));
          }
        }
        return new StoredUser(username, parseRoles(r.getString(1)), groups, r.getLong(2));
      }
    }
  }

  private static Map<String, List<String>> memberships(Connection c) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT username, group_name FROM auth_members ORDER BY group_name");
        ResultSet r = s.executeQuery()) {
      while (r.next())
        out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
    }
    return out;
  }

  private static List<String> members(Connection c, String group) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT username FROM auth_members WHERE group_name = ? ORDER BY username")) {
      s.setString(1, group);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) out.add(r.getString(1));
      }
    }
    return out;
  }

  private static void setGroupsOf(Connection c, String username, Collection<String> groups)
      throws SQLException {
    update(c, "DELETE FROM auth_members WHERE username = ?", username);
    for (String g : new TreeSet<>(groups)) {
      if (!exists(c, "SELECT 1 FROM auth_groups WHERE name = ?", g)) insertGroup(c, g);
      update(c, "INSERT INTO auth_members (group_name, username) VALUES (?, ?)", g, username);
    }
  }

  private static void setMembers(Connection c, String group, Collection<String> members)
      throws SQLException {
    update(c, "DELETE FROM auth_members WHERE group_name = ?", group);
    for (String u : new TreeSet<>(members)) {
      update(c, "INSERT INTO auth_members (group_name, username) VALUES (?, ?)", group, u);
    }
  }

  private static void insertGroup(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO auth_groups (name, created) VALUES (?, ?)")) {
      s.setString(1, name);
      s.setLong(2, System.currentTimeMillis());
      s.executeUpdate();
    }
  }

  private static void setHash(Connection c, String username, String hash) throws SQLException {
    update(c, "UPDATE auth_users SET password_hash = ? WHERE username = ?", hash, username);
  }

  private static String roles(Set<Role> roles) {
    TreeSet<String> names = new TreeSet<>();
    for (Role r : roles) names.add(r.wire());
    return String.join(",", names);
  }

  private static Set<Role> parseRoles(String s) {
    Set<Role> out = EnumSet.noneOf(Role.class);
    if (s == null || s.isBlank()) return out;
    for (String part : s.split(",")) out.add(Role.parse(part));
    return out;
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static int update(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
      return s.executeUpdate();
    }
  }

  private <T> T tx(String what, SerialDatabase.Work<T> work) {
    return db.transaction(what, work);
  }

  @Override
  public void close() {
    db.close();
  }
}
