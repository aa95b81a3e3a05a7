package dev.kodo.registry.core.internal;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Json;
import dev.kodo.registry.core.HealthSample;
import dev.kodo.registry.core.NodeStatus;
import dev.kodo.registry.core.Peer;
import dev.kodo.registry.core.RegistryStore;
import dev.kodo.registry.core.StoredNode;
import dev.kodo.store.SerialDatabase;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * The {@link RegistryStore} on SQLite or PostgreSQL through plain JDBC; the SQL is the same for
 * both.
 */
public final class JdbcRegistryStore implements RegistryStore {
  private static final String NODE_ITSELF = "";
  private static final TypeReference<Map<String, Double>> FIGURES = new TypeReference<>() {};
  private static final TypeReference<Map<String, FlowUsage>> USAGE = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /**
   * The registry's tables, migrated from {@code db/kodo-registry} with their own history table, so
   * they can live beside the event store's.
   */
  private static final StoreDatabase.Layout LAYOUT =
      new StoreDatabase.Layout(
          "registry store", "db/kodo-registry", "registry_schema_history", "kodo-registry");

  private final SerialDatabase db;

  private JdbcRegistryStore(SerialDatabase db) {
    this.db = db;
  }

  public static RegistryStore open(StoreOptions options) {
    return new JdbcRegistryStore(SerialDatabase.open(options, LAYOUT));
  }

  // ---------------------------------------------------------------------------------- load

  @Override
  public List<StoredNode> load() {
    return db.transaction(
        "load the registry",
        c -> {
          Map<String, List<FlowAnnouncement>> flows = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT node, path, name, description, author, organization,"
                          + " published, flow_release, tags FROM registry_flows ORDER BY node, path");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              flows
                  .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                  .add(
                      new FlowAnnouncement(
                          rs.getString(2),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getString(5),
                          rs.getString(6),
                          instant(rs, 7),
                          rs.getString(8),
                          strings(rs.getString(9))));
            }
          }
          Map<String, Map<String, Constraints>> constraints = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT node, path, tags, hidden, notes FROM registry_constraints");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String tags = rs.getString(3);
              constraints
                  .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                  .put(
                      rs.getString(2),
                      new Constraints(
                          tags == null ? null : strings(tags), rs.getBoolean(4), rs.getString(5)));
            }
          }
          List<StoredNode> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, url, registered, connected, heartbeat, health,"
                          + " flow_usage, availability, latency, tags, origin, via, path FROM registry_nodes ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              Map<String, Constraints> cs = new HashMap<>(constraints.getOrDefault(name, Map.of()));
              Constraints own = cs.remove(NODE_ITSELF);
              out.add(
                  new StoredNode(
                      name,
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3)),
                      rs.getBoolean(4),
                      instant(rs, 5),
                      Json.mapper().readValue(rs.getString(6), FIGURES),
                      Json.mapper().readValue(rs.getString(7), USAGE),
                      number(rs, 8),
                      number(rs, 9),
                      strings(rs.getString(10)),
                      own,
                      rs.getString(11),
                      rs.getString(12),
                      flows.getOrDefault(name, List.of()),
                      cs,
                      rs.getString(13) == null ? List.of() : strings(rs.getString(13))));
            }
          }
          return out;
        });
  }

  // --------------------------------------------------------------------------------- writes

  @Override
  public void register(String node, Instant at) {
    db.transaction(
        "register node '" + node + "'",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT via FROM registry_nodes WHERE name = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                if (rs.getString(1) == null) return null;
                delete(c, node);
              }
            }
          }
          insertNode(c, StoredNode.registered(node, at));
          return null;
        });
  }

  @Override
  public boolean unregister(String node) {
    return db.transaction("unregister node '" + node + "'", c -> delete(c, node) > 0);
  }

  private static int delete(Connection c, String node) throws SQLException {
    for (String table : List.of("registry_flows", "registry_constraints", "registry_health")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE node = ?")) {
        ps.setString(1, node);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM registry_nodes WHERE name = ?")) {
      ps.setString(1, node);
      return ps.executeUpdate();
    }
  }

  private static void insertNode(Connection c, StoredNode n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO registry_nodes (name, url, registered, connected,"
                + " heartbeat, health, flow_usage, availability, latency, tags, origin, via, path)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, n.name());
      ps.setString(2, n.url());
      ps.setLong(3, n.registered().toEpochMilli());
      ps.setBoolean(4, n.connected());
      setInstant(ps, 5, n.heartbeat());
      ps.setString(6, Json.write(n.health()));
      ps.setString(7, Json.write(n.usage()));
      setNumber(ps, 8, n.availability());
      setNumber(ps, 9, n.latency());
      ps.setString(10, Json.write(n.tags()));
      ps.setString(11, n.origin());
      ps.setString(12, n.via());
      ps.setString(13, n.path().isEmpty() ? null : Json.write(n.path()));
      ps.executeUpdate();
    }
    insertFlows(c, n.name(), n.flows());
    if (!n.constraints().isNone()) upsertConstraints(c, n.name(), NODE_ITSELF, n.constraints());
    for (Map.Entry<String, Constraints> e : n.flowConstraints().entrySet()) {
      upsertConstraints(c, n.name(), e.getKey(), e.getValue());
    }
  }

  private static void insertFlows(Connection c, String node, List<FlowAnnouncement> flows)
      throws SQLException {
    if (flows.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO registry_flows (node, path, name, description, author,"
                + " organization, published, flow_release, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (FlowAnnouncement f : flows) {
        ps.setString(1, node);
        ps.setString(2, f.path());
        ps.setString(3, f.name());
        ps.setString(4, orEmpty(f.description()));
        ps.setString(5, orEmpty(f.author()));
        ps.setString(6, orEmpty(f.organization()));
        setInstant(ps, 7, f.published());
        ps.setString(8, f.release());
        ps.setString(9, Json.write(f.tags() == null ? List.of() : f.tags()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public void connect(
      String node, String url, List<String> tags, List<FlowAnnouncement> flows, Instant at) {
    db.transaction(
        "save the connect of node '" + node + "'",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE registry_nodes SET url = ?, tags = ?, connected = ?, heartbeat = ? WHERE name = ? AND via IS NULL")) {
            ps.setString(1, url);
            ps.setString(2, Json.write(tags == null ? List.of() : tags));
            ps.setBoolean(3, true);
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, node);
            if (ps.executeUpdate() == 0) {
              throw new SQLException("node '" + node + "' is not registered");
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM registry_flows WHERE node = ?")) {
            ps.setString(1, node);
            ps.executeUpdate();
          }
          insertFlows(c, node, flows);
          return null;
        });
  }

  @Override
  public void saveStatus(Collection<NodeStatus> statuses) {
    if (statuses.isEmpty()) return;
    db.transaction(
        "save the state of " + statuses.size() + " node(s)",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE registry_nodes SET connected = ?, heartbeat = ?, health = ?,"
                      + " flow_usage = ?, availability = ?, latency = ? WHERE name = ?")) {
            for (NodeStatus s : statuses) {
              ps.setBoolean(1, s.connected());
              setInstant(ps, 2, s.heartbeat());
              ps.setString(3, Json.write(s.health() == null ? Map.of() : s.health()));
              ps.setString(4, Json.write(s.usage() == null ? Map.of() : s.usage()));
              setNumber(ps, 5, s.availability());
              setNumber(ps, 6, s.latency());
              ps.setString(7, s.node());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public void constrainNode(String node, Constraints constraints) {
    db.transaction(
        "save the constraints on node '" + node + "'",
        c -> {
          setConstraints(c, node, NODE_ITSELF, constraints);
          return null;
        });
  }

  @Override
  public void constrainFlow(String node, String path, Constraints constraints) {
    db.transaction(
        "save the constraints on flow '" + path + "' of node '" + node + "'",
        c -> {
          setConstraints(c, node, path, constraints);
          return null;
        });
  }

  private static void setConstraints(
      Connection c, String node, String path, Constraints constraints) throws SQLException {
    if (constraints.isNone()) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM registry_constraints WHERE node = ? AND path = ?")) {
        ps.setString(1, node);
        ps.setString(2, path);
        ps.executeUpdate();
      }
    } else {
      upsertConstraints(c, node, path, constraints);
    }
  }

  private static void upsertConstraints(Connection c, String node, String path, Constraints cs)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO registry_constraints (node, path, tags, hidden, notes)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (node, path) DO UPDATE SET tags = excluded.tags,"
                + " hidden = excluded.hidden, notes = excluded.notes")) {
      ps.setString(1, node);
      ps.setString(2, path);
      ps.setString(3, cs.tags() == null ? null : Json.write(cs.tags()));
      ps.setBoolean(4, cs.hidden());
      ps.setString(5, cs.notes());
      ps.executeUpdate();
    }
  }

  @Override
  public void replacePeer(String peer, Collection<StoredNode> nodes) {
    db.transaction(
        "save the nodes of peer '" + peer + "'",
        c -> {
          for (String name : namesVia(c, peer)) delete(c, name);
          for (StoredNode n : nodes) {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM registry_nodes WHERE name = ?")) {
              ps.setString(1, n.name());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) continue;
              }
            }
            insertNode(c, n.receivedVia(n.origin(), peer, n.path()));
          }
          return null;
        });
  }

  // ---------------------------------------------------------------------------------- peers

  private static List<String> namesVia(Connection c, String peer) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT name FROM registry_nodes WHERE via = ?")) {
      ps.setString(1, peer);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Override
  public List<Peer> peers() {
    return db.transaction(
        "load the peers",
        c -> {
          List<Peer> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, url, role, added FROM registry_peers ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Peer(
                      rs.getString(1),
                      rs.getString(2),
                      Peer.Role.parse(rs.getString(3)),
                      Instant.ofEpochMilli(rs.getLong(4))));
            }
          }
          return out;
        });
  }

  @Override
  public void savePeer(Peer peer) {
    db.transaction(
        "save peer '" + peer.name() + "'",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM registry_peers WHERE name = ?")) {
            ps.setString(1, peer.name());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO registry_peers (name, url, role, added) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, peer.name());
            ps.setString(2, peer.url());
            ps.setString(3, peer.role().wire());
            ps.setLong(4, peer.added().toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean removePeer(String name) {
    return db.transaction(
        "remove peer '" + name + "'",
        c -> {
          for (String node : namesVia(c, name)) delete(c, node);
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM registry_peers WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
          }
        });
  }

  // -------------------------------------------------------------------------------- history

  @Override
  public void addSamples(Collection<HealthSample> samples) {
    if (samples.isEmpty()) return;
    db.transaction(
        "save " + samples.size() + " health sample(s)",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO registry_health (node, sampled_at, online, health,"
                      + " availability, latency) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM registry_nodes WHERE name = ?)"
                      + " ON CONFLICT (node, sampled_at) DO NOTHING")) {
            for (HealthSample s : samples) {
              ps.setString(1, s.node());
              ps.setLong(2, s.at().toEpochMilli());
              ps.setBoolean(3, s.online());
              ps.setString(4, Json.write(s.health()));
              setNumber(ps, 5, s.availability());
              setNumber(ps, 6, s.latency());
              ps.setString(7, s.node());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<HealthSample> history(String node, Instant from, Instant to, int limit) {
    return db.transaction(
        "read the health history of node '" + node + "'",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT sampled_at, online, health, availability, latency"
                      + " FROM registry_health WHERE node = ? AND sampled_at >= ? AND sampled_at < ? ORDER BY sampled_at LIMIT ?")) {
            ps.setString(1, node);
            ps.setLong(2, from.toEpochMilli());
            ps.setLong(3, to.toEpochMilli());
            ps.setInt(4, Math.max(0, limit));
            List<HealthSample> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new HealthSample(
                        node,
                        Instant.ofEpochMilli(rs.getLong(1)),
                        rs.getBoolean(2),
                        new LinkedHashMap<>(Json.mapper().readValue(rs.getString(3), FIGURES)),
                        number(rs, 4),
                        number(rs, 5)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public int pruneHistory(Instant before) {
    return db.transaction(
        "prune the health history",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM registry_health WHERE sampled_at < ?")) {
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void close() {
    db.close();
  }

  @Override
  public String toString() {
    return "RegistryStore[" + db.describe() + "]";
  }

  // -------------------------------------------------------------------------------- columns

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static List<String> strings(String json) {
    return json == null ? List.of() : Json.mapper().readValue(json, STRINGS);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Double number(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static void setInstant(PreparedStatement ps, int column, Instant value)
      throws SQLException {
    if (value == null) {
      ps.setNull(column, Types.BIGINT);
    } else {
      ps.setLong(column, value.toEpochMilli());
    }
  }

  private static void setNumber(PreparedStatement ps, int column, Double value)
      throws SQLException {
    if (value == null) {
      ps.setNull(column, Types.DOUBLE);
    } else {
      ps.setDouble(column, value);
    }
  }
}
