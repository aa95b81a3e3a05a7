package dev.kodo.registry;

import dev.kodo.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The registry's configuration under {@code kodo.registry.*}, overridable by {@code
 * KODO_REGISTRY_*} environment variables (e.g. {@code KODO_REGISTRY_DATA}, {@code
 * KODO_REGISTRY_NAME}).
 */
@ConfigurationProperties("kodo.registry")
public class RegistryProperties {
  /** Whether this process serves the registry (a node serves one only under {@code koco serve}). */
  private boolean enabled = true;

  /**
   * This registry's name: the origin of its own nodes when peers import them; unique among
   * federated registries.
   */
  private String name = "registry";

  /** Where the registry keeps its data (the SQLite file registry.db). */
  private Path data = Path.of("data");

  /** A node whose last heartbeat is older than this is offline. */
  private Duration heartbeatTimeout = Duration.ofSeconds(300);

  /** How often the registry probes GET /api/state on each connected node; 0 turns probing off. */
  private Duration probeInterval = Duration.ofSeconds(60);

  /** How long a probe may take before it counts as failed. */
  private Duration probeTimeout = Duration.ofSeconds(5);

  /**
   * A node silent (no heartbeat, no connect) for longer than this is stale and removed by the
   * cleanup.
   */
  private Duration staleAfter = Duration.ofDays(7);

  /** How often stale nodes are removed on their own; 0: only on POST /registry/cleanup. */
  private Duration cleanupInterval = Duration.ofHours(1);

  /** How often the registry pulls from its providers and pushes to its consumers. */
  private Duration syncInterval = Duration.ofSeconds(30);

  /**
   * Where the registry may send probes, pulls and pushes: IP blocks, host patterns and the words
   * public, private, loopback (see {@code AllowedTargets}); empty: public addresses, and loopback
   * ones when server.address is a loopback address.
   */
  private List<String> allowedTargets = new ArrayList<>();

  /** The most nodes the registry holds, its own and its peers'. */
  private int maxNodes = 100_000;

  /**
   * The most flows one node may announce, and the most flow paths an admin may constrain on one
   * node.
   */
  private int maxFlowsPerNode = 10_000;

  /** The most peers the registry federates with. */
  private int maxPeers = 100;

  /** The largest export the registry reads from a provider peer. */
  private DataSize maxExportSize = DataSize.ofMegabytes(64);

  private final StoreSettings store = new StoreSettings();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Path getData() {
    return data;
  }

  public void setData(Path data) {
    this.data = data;
  }

  public Duration getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public void setHeartbeatTimeout(Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
  }

  public Duration getProbeInterval() {
    return probeInterval;
  }

  public void setProbeInterval(Duration probeInterval) {
    this.probeInterval = probeInterval;
  }

  public Duration getProbeTimeout() {
    return probeTimeout;
  }

  public void setProbeTimeout(Duration probeTimeout) {
    this.probeTimeout = probeTimeout;
  }

  public Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  public Duration getCleanupInterval() {
    return cleanupInterval;
  }

  public void setCleanupInterval(Duration cleanupInterval) {
    this.cleanupInterval = cleanupInterval;
  }

  public Duration getSyncInterval() {
    return syncInterval;
  }

  public void setSyncInterval(Duration syncInterval) {
    this.syncInterval = syncInterval;
  }

  public List<String> getAllowedTargets() {
    return allowedTargets;
  }

  public void setAllowedTargets(List<String> allowedTargets) {
    this.allowedTargets = allowedTargets;
  }

  public int getMaxNodes() {
    return maxNodes;
  }

  public void setMaxNodes(int maxNodes) {
    this.maxNodes = maxNodes;
  }

  public int getMaxFlowsPerNode() {
    return maxFlowsPerNode;
  }

  public void setMaxFlowsPerNode(int maxFlowsPerNode) {
    this.maxFlowsPerNode = maxFlowsPerNode;
  }

  public int getMaxPeers() {
    return maxPeers;
  }

  public void setMaxPeers(int maxPeers) {
    this.maxPeers = maxPeers;
  }

  public DataSize getMaxExportSize() {
    return maxExportSize;
  }

  public void setMaxExportSize(DataSize maxExportSize) {
    this.maxExportSize = maxExportSize;
  }

  public StoreSettings getStore() {
    return store;
  }
}
