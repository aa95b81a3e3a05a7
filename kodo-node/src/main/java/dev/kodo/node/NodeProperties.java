package dev.kodo.node;

import dev.kodo.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The node's configuration under {@code kodo.*}: from {@code kodo.yaml} (given with {@code
 * --config}), overridable by {@code KODO_*} environment variables (e.g. {@code KODO_DATA}, {@code
 * KODO_NODE_NAME}, {@code KODO_FLOWS}).
 */
@ConfigurationProperties("kodo")
public class NodeProperties {
  /** Where the node keeps its data (the SQLite store, later files). */
  private Path data = Path.of("data");

  /**
   * The flows this node offers: class names, .java files, or classpath:* for every registered flow.
   * Empty (the default) offers none; {@code koco serve} defaults it to classpath:*, the examples.
   */
  private List<String> flows = new ArrayList<>();

  private final Node node = new Node();
  private final StoreSettings store = new StoreSettings();
  private final Cluster cluster = new Cluster();
  private final Worker worker = new Worker();
  private final Http http = new Http();
  private final Locks locks = new Locks();
  private final Cleanup cleanup = new Cleanup();
  private final Limits limits = new Limits();

  /**
   * The registries this node announces itself to: base URLs such as http://registry:3371; empty for
   * none.
   */
  private List<String> registries = new ArrayList<>();

  /** How often the node sends its state to each registry it is connected to. */
  private Duration registryHeartbeat = Duration.ofSeconds(30);

  /**
   * The longest wait between attempts to reach a registry (backoff cap; also the retry for 403).
   */
  private Duration registryRetryMax = Duration.ofSeconds(60);

  public List<String> getRegistries() {
    return registries;
  }

  public void setRegistries(List<String> registries) {
    this.registries = registries;
  }

  public Duration getRegistryHeartbeat() {
    return registryHeartbeat;
  }

  public void setRegistryHeartbeat(Duration registryHeartbeat) {
    this.registryHeartbeat = registryHeartbeat;
  }

  public Duration getRegistryRetryMax() {
    return registryRetryMax;
  }

  public void setRegistryRetryMax(Duration registryRetryMax) {
    this.registryRetryMax = registryRetryMax;
  }

  public Path getData() {
    return data;
  }

  public void setData(Path data) {
    this.data = data;
  }

  public List<String> getFlows() {
    return flows;
  }

  public void setFlows(List<String> flows) {
    this.flows = flows;
  }

  public Node getNode() {
    return node;
  }

  public StoreSettings getStore() {
    return store;
  }

  public Cluster getCluster() {
    return cluster;
  }

  public Worker getWorker() {
    return worker;
  }

  public Http getHttp() {
    return http;
  }

  public Locks getLocks() {
    return locks;
  }

  public Cleanup getCleanup() {
    return cleanup;
  }

  public Limits getLimits() {
    return limits;
  }

  /** How much callers may take of the node; one more is answered 429 naming the key. */
  public static class Limits {
    /** Live streams ({@code GET /api/runs/{fid}/stream}) the node serves at once. */
    private int streams = 10_000;

    /** Live streams of one run at once. */
    private int streamsPerRun = 100;

    /** Events callers may add to one run over its life: shares and lock answers (candidates). */
    private int callerEventsPerRun = 1_000;

    public int getStreams() {
      return streams;
    }

    public void setStreams(int streams) {
      this.streams = streams;
    }

    public int getStreamsPerRun() {
      return streamsPerRun;
    }

    public void setStreamsPerRun(int streamsPerRun) {
      this.streamsPerRun = streamsPerRun;
    }

    public int getCallerEventsPerRun() {
      return callerEventsPerRun;
    }

    public void setCallerEventsPerRun(int callerEventsPerRun) {
      this.callerEventsPerRun = callerEventsPerRun;
    }
  }

  /** Human in the loop. */
  public static class Locks {
    /** How long a candidate answer waits for the flow's verdict before the node answers 504. */
    private Duration releaseTimeout = Duration.ofSeconds(30);

    public Duration getReleaseTimeout() {
      return releaseTimeout;
    }

    public void setReleaseTimeout(Duration releaseTimeout) {
      this.releaseTimeout = releaseTimeout;
    }
  }

  /** Housekeeping: which finished runs are removed, and how often the node looks. */
  public static class Cleanup {
    /** Acknowledged runs are removed this long after they finished. */
    private Duration acknowledgedAfter = Duration.ofDays(7);

    /** Any finished run is removed this long after it finished. */
    private Duration finishedAfter = Duration.ofDays(30);

    /** How often the node cleans up by itself; 0 turns the periodic job off. */
    private Duration interval = Duration.ofHours(1);

    public Duration getAcknowledgedAfter() {
      return acknowledgedAfter;
    }

    public void setAcknowledgedAfter(Duration acknowledgedAfter) {
      this.acknowledgedAfter = acknowledgedAfter;
    }

    public Duration getFinishedAfter() {
      return finishedAfter;
    }

    public void setFinishedAfter(Duration finishedAfter) {
      this.finishedAfter = finishedAfter;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }
  }

  /** The node's identity. */
  public static class Node {
    /** The node's name, unique in its cluster and registry. */
    private String name = "local";

    /**
     * The URL this node announces to registries; empty for http://<server.address>:<local port>.
     */
    private String url = "";

    private final Admission limits = new Admission();

    /** How many runs the node lets run at once ({@code kodo.node.limits.*}). */
    public Admission getLimits() {
      return limits;
    }

    /**
     * How long a run waits when no live worker offers its flow before it ends with fatal /
     * no-worker.
     */
    private Duration noWorkerTimeout = Duration.ofSeconds(60);

    /**
     * How many times a run of a @RetrySafe flow is put back on the cluster when its worker is lost.
     */
    private int retryAttempts = 3;

    public Duration getNoWorkerTimeout() {
      return noWorkerTimeout;
    }

    public void setNoWorkerTimeout(Duration noWorkerTimeout) {
      if (noWorkerTimeout == null || noWorkerTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "kodo.node.no-worker-timeout must be 0 or more, not " + noWorkerTimeout);
      }
      this.noWorkerTimeout = noWorkerTimeout;
    }

    public int getRetryAttempts() {
      return retryAttempts;
    }

    public void setRetryAttempts(int retryAttempts) {
      if (retryAttempts < 0) {
        throw new IllegalArgumentException(
            "kodo.node.retry-attempts must be 0 or more, not " + retryAttempts);
      }
      this.retryAttempts = retryAttempts;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  /**
   * Admission control: how many runs may run at once, per flow, per owner and on the node, and what
   * happens to a launch over a limit (docs/flows.md#how-many-runs-at-once). Counted on this node
   * only. 0 means no limit.
   */
  public static class Admission {
    /** What a launch over a limit does. */
    public enum Over {
      /** The run is recorded and waits (pending) until a slot frees. */
      WAIT,
      /** The launch is answered 429 naming the limit. */
      REFUSE;

      public String wire() {
        return name().toLowerCase(Locale.ROOT);
      }
    }

    /** Runs of this node running at once (not counting locked ones); 0: no limit. */
    private int node;

    /** Runs of one owner running at once; 0: no limit. */
    private int perUser;

    /** Per flow path, the most runs at once; overrides what the flow declares; 0: no limit. */
    private Map<String, Integer> flows = new LinkedHashMap<>();

    /** Wait for a slot or refuse with 429. */
    private Over over = Over.WAIT;

    /** Launches that may wait for a slot at once; one more is refused with 429. */
    private int queue = 1_000;

    /** What a 429 for a limit tells the caller in Retry-After. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration retryAfter = Duration.ofSeconds(10);

    public int getNode() {
      return node;
    }

    public void setNode(int node) {
      this.node = atLeast(0, node, "kodo.node.limits.node");
    }

    public int getPerUser() {
      return perUser;
    }

    public void setPerUser(int perUser) {
      this.perUser = atLeast(0, perUser, "kodo.node.limits.per-user");
    }

    public Map<String, Integer> getFlows() {
      return flows;
    }

    public void setFlows(Map<String, Integer> flows) {
      this.flows = flows;
    }

    public Over getOver() {
      return over;
    }

    public void setOver(Over over) {
      this.over = over;
    }

    public int getQueue() {
      return queue;
    }

    public void setQueue(int queue) {
      this.queue = atLeast(0, queue, "kodo.node.limits.queue");
    }

    public Duration getRetryAfter() {
      return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
      if (retryAfter == null || retryAfter.isNegative()) {
        throw new IllegalArgumentException(
            "kodo.node.limits.retry-after must be 0 or more, not " + retryAfter);
      }
      this.retryAfter = retryAfter;
    }

    private static int atLeast(int min, int value, String key) {
      if (value < min) {
        throw new IllegalArgumentException(key + " must be " + min + " or more, not " + value);
      }
      return value;
    }
  }

  /** Membership of the cluster. */
  public static class Cluster {
    private String name = "kodo";
    private String host = "127.0.0.1";
    private int port = 5710;

    /** Other members as host:port; empty for a single machine. */
    private List<String> members = new ArrayList<>();

    /**
     * The secret every member shares (KODO_CLUSTER_SECRET; never logged); empty: the one in {@code
     * <data>/cluster.secret}, made on the first start.
     */
    private String secret = "";

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public List<String> getMembers() {
      return members;
    }

    public void setMembers(List<String> members) {
      this.members = members;
    }
  }

  /** The embedded worker. */
  public static class Worker {
    /** Whether this node also executes runs. */
    private boolean enabled = true;

    /** How many runs the embedded worker executes at once. */
    private int capacity = 20_000;

    /**
     * On a graceful stop, how long runs in flight may take to end before they end with fatal /
     * worker-stopped.
     */
    private Duration shutdownGrace = Duration.ofSeconds(10);

    public Duration getShutdownGrace() {
      return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
      if (shutdownGrace == null || shutdownGrace.isNegative()) {
        throw new IllegalArgumentException(
            "kodo.worker.shutdown-grace must be 0 or more, not " + shutdownGrace);
      }
      this.shutdownGrace = shutdownGrace;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getCapacity() {
      return capacity;
    }

    public void setCapacity(int capacity) {
      this.capacity = capacity;
    }
  }

  /**
   * HTTP limits and checks (read by the shared web layer, kodo-web; listed here to document them).
   */
  public static class Http {
    /** The largest request body accepted; larger ones get 413. */
    private DataSize maxBody = DataSize.ofMegabytes(1);

    /**
     * How long a request's work may take before it is stopped with 503; 0 for no limit. Live
     * streams are not limited.
     */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /**
     * Host names (besides IP literals, localhost, server.address and kodo.node.url's host) that
     * requests may name in their Host header; others get 421. "*" allows any.
     */
    private List<String> allowedHosts = new ArrayList<>();

    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    public List<String> getAllowedHosts() {
      return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
      this.allowedHosts = allowedHosts;
    }

    public DataSize getMaxBody() {
      return maxBody;
    }

    public void setMaxBody(DataSize maxBody) {
      this.maxBody = maxBody;
    }
  }
}
