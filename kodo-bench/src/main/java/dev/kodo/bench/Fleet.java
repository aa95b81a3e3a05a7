package dev.kodo.bench;

import dev.kodo.client.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A made-up fleet of nodes and the flows they announce to a registry, for the {@code registry}
 * scenario: names, descriptions, authors, organizations, tags and releases drawn from small
 * vocabularies with skew (a few tags and organizations are common, most are rare), so that the
 * searches and queries of {@link #searches()} and {@link #queries()} each select a realistic share
 * of the flows rather than all or none.
 *
 * <p>Node {@code n} is the same on every call and in every run (its own seeded random), so bodies
 * are made on demand by many clients at once without holding 100,000 flows in the benchmark's heap;
 * only the flows' paths are kept, for heartbeats. Thread-safe.
 *
 * <pre>{@code
 * Fleet fleet = new Fleet(10_000, 10);
 * fleet.connectBody(42);      // {"node":"eu-prod-00042","url":…,"tags":[…],"flows":[{path,name,…}, …]}
 * fleet.heartbeatBody(42, 3); // {"node":"eu-prod-00042","health":{…},"usage":{path:{runsStarted,runsFinished}, …}}
 * }</pre>
 */
final class Fleet {
  /** When the flows' {@code published} times end; they spread over the two years before. */
  static final Instant EPOCH = Instant.parse("2026-06-01T00:00:00Z");

  private static final String[] REGIONS = {"eu", "eu", "eu", "us", "us", "us", "apac"};
  private static final String[][] TOPICS = {
    {"invoice", "finance"},
    {"expense", "finance"},
    {"budget", "finance"},
    {"payroll", "hr"},
    {"hiring", "hr"},
    {"onboarding", "hr"},
    {"contract", "legal"},
    {"compliance", "legal"},
    {"lead", "sales"},
    {"pipeline", "sales"},
    {"campaign", "marketing"},
    {"newsletter", "marketing"},
    {"ticket", "support"},
    {"customer feedback", "support"},
    {"incident", "ops"},
    {"deployment", "ops"},
    {"vulnerability", "security"},
    {"access", "security"},
    {"market", "research"},
    {"paper", "research"},
    {"inventory", "supply-chain"},
    {"shipment", "supply-chain"}
  };
  private static final String[] ACTIONS = {
    "report",
    "summary",
    "triage",
    "review",
    "forecast",
    "digest",
    "audit",
    "planner",
    "extractor",
    "classifier",
    "translator",
    "reconciliation",
    "approval",
    "assistant",
    "monitor"
  };
  private static final String[] QUALIFIERS = {
    "",
    "",
    "",
    "",
    "Weekly",
    "Daily",
    "Monthly",
    "Quarterly",
    "Customer",
    "Vendor",
    "Internal",
    "Automated",
    "Multilingual"
  };
  private static final String[] NOUNS = {
    "records", "documents", "emails", "tickets", "messages", "spreadsheets", "PDFs"
  };
  private static final String[] SYSTEMS = {
    "Salesforce",
    "SAP",
    "Jira",
    "Zendesk",
    "Workday",
    "Slack",
    "Google Drive",
    "S3",
    "Postgres",
    "SharePoint",
    "HubSpot",
    "GitHub"
  };
  private static final String[] VERBS = {
    "classifies",
    "summarises",
    "checks",
    "ranks",
    "translates",
    "extracts the key figures from",
    "deduplicates",
    "scores"
  };
  private static final String[] OUTPUTS = {
    "short summary",
    "report",
    "ranked list",
    "Markdown digest",
    "CSV export",
    "draft reply",
    "dashboard update"
  };
  private static final String[] DESTINATIONS = {
    "the team channel", "email", "the wiki", "a dashboard", "the ticket", "a shared folder"
  };
  private static final String[] EXTRAS = {
    "",
    "",
    "",
    " Asks a person to approve before anything is sent.",
    " Runs a crew of three agents: a researcher, a writer and a reviewer.",
    " Needs a GPU node for the local model.",
    " Retries failed steps twice and reports what it skipped.",
    " Keeps personal data inside the EU."
  };
  private static final String[] FIRST = {
    "Ann", "Ben", "Chen", "Dana", "Emre", "Fatima", "Goran", "Hana", "Ivan", "Julia", "Kofi",
    "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko", "Uma", "Victor",
    "Wei", "Yara"
  };
  private static final String[] LAST = {
    "Smith", "Garcia", "Müller", "Rossi", "Kim", "Nowak", "Dubois", "Silva", "Okafor", "Tanaka",
    "Jensen", "Novak", "Haddad", "Costa", "Ivanova", "Larsen", "Patel", "Moreau", "Weber", "Santos",
    "Berg", "Lopez", "Horvat", "Yilmaz"
  };
  private static final String[] ORGANIZATIONS = {
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Vandelay Industries",
    "Cyberdyne",
    "Tyrell",
    "Wonka Foods",
    "Aperture Labs",
    "Massive Dynamic",
    "Dunder Mifflin",
    "Pied Piper",
    "Soylent",
    "Oceanic Airlines",
    "Gringotts",
    "Monsters Inc",
    "Blue Sun",
    "Nakatomi Trading",
    "Virtucon",
    "Sirius Cybernetics",
    "Weyland Yutani"
  };
  private static final String[] TAGS = {
    "llm",
    "weekly",
    "daily",
    "pii",
    "beta",
    "customer-facing",
    "internal",
    "gpu",
    "approval",
    "eu-only",
    "experimental",
    "batch"
  };

  /**
   * Search terms a user types: words (a substring of any text field), an organization, and globs
   * (which match a whole field: a prefix, a suffix, a part).
   */
  private static final List<String> SEARCHES =
      List.of(
          "report",
          "invoice",
          "triage",
          "forecast",
          "onboarding",
          "*summar*",
          "ticket",
          "security",
          "weekly",
          "invoice*",
          "globex",
          "digest",
          "*translator",
          "incident");

  /** Filters a user builds: always online, and a tag, a region, an organization or a release. */
  private static final List<String> QUERIES =
      List.of(
          "online and tags contains \"finance\" and release >= \"1.0.0\"",
          "online and node_tags contains \"eu\" and release >= \"1.0.0\"",
          "online and tags in [\"sales\", \"marketing\", \"support\"] and not tags contains \"beta\"",
          "online and published >= \"2025-06-01\" and release >= \"1.0.0\"",
          "online and (tags contains \"llm\" or tags contains \"gpu\") and not node_tags contains \"staging\"");

  /** Sort orders a list is asked in. */
  private static final List<String> ORDERS =
      List.of("name", "published desc", "release desc, name", "runs_started desc, name");

  private final int nodes;
  private final int flowsPerNode;
  private final AtomicReferenceArray<String[]> paths;

  Fleet(int nodes, int flowsPerNode) {
    if (nodes < 1 || nodes > 99_999 || flowsPerNode < 1) {
      throw new IllegalArgumentException(
          "a fleet has 1 to 99,999 nodes and at least one flow each, not "
              + nodes
              + " × "
              + flowsPerNode);
    }
    this.nodes = nodes;
    this.flowsPerNode = flowsPerNode;
    this.paths = new AtomicReferenceArray<>(nodes);
  }

  int nodes() {
    return nodes;
  }

  int flowsPerNode() {
    return flowsPerNode;
  }

  static List<String> searches() {
    return SEARCHES;
  }

  static List<String> queries() {
    return QUERIES;
  }

  static List<String> orders() {
    return ORDERS;
  }

  private Random random(int n, long salt) {
    return new Random(n * 1_000_003L + salt);
  }

  /**
   * Node {@code n}'s name, e.g. {@code eu-prod-00042}: its region and environment, which are also
   * its tags.
   */
  String node(int n) {
    Random r = random(n, 0);
    return pick(r, REGIONS) + "-" + environment(r) + "-" + String.format(Locale.ROOT, "%05d", n);
  }

  private static String environment(Random r) {
    return r.nextInt(5) == 0 ? "staging" : "prod";
  }

  /** {@code {"node": name}}: what an admin registers. */
  String registerBody(int n) {
    return "{\"node\":" + Json.quote(node(n)) + "}";
  }

  /**
   * Node {@code n}'s handshake: its URL, its tags and its flows, as the node's announcer sends
   * them.
   */
  String connectBody(int n) {
    Random r = random(n, 0);
    String region = pick(r, REGIONS);
    String env = environment(r);
    List<String> nodeTags = new ArrayList<>(List.of(region, env));
    if (r.nextInt(10) == 0) nodeTags.add("gpu");
    String organization = ORGANIZATIONS[skewed(r, ORGANIZATIONS.length)];
    String[] team = new String[3];
    for (int i = 0; i < team.length; i++) {
      team[i] = pick(r, FIRST) + " " + pick(r, LAST);
    }
    List<Map<String, Object>> flows = new ArrayList<>(flowsPerNode);
    Set<String> taken = new HashSet<>();
    String[] flowPaths = new String[flowsPerNode];
    for (int f = 0; f < flowsPerNode; f++) {
      String[] topic = TOPICS[r.nextInt(TOPICS.length)];
      String action = pick(r, ACTIONS);
      String qualifier = pick(r, QUALIFIERS);
      String name =
          capitalize(
              (qualifier.isEmpty() ? "" : qualifier.toLowerCase(Locale.ROOT) + " ")
                  + topic[0]
                  + " "
                  + action);
      String org =
          r.nextInt(10) == 0 ? ORGANIZATIONS[r.nextInt(ORGANIZATIONS.length)] : organization;
      String path =
          r.nextInt(4) == 0
              ? "com."
                  + slug(org).replace("-", "")
                  + "."
                  + topic[1].replace("-", "")
                  + "."
                  + camel(name)
              : "flows/" + topic[1] + "/" + slug(name) + ".yaml";
      for (int k = 2; !taken.add(path); k++) {
        path =
            path.endsWith(".yaml")
                ? path.replaceFirst("(-\\d+)?\\.yaml$", "-" + k + ".yaml")
                : path.replaceFirst("\\d*$", "" + k);
      }
      flowPaths[f] = path;
      String description =
          "Reads "
              + topic[0]
              + " "
              + pick(r, NOUNS)
              + " from "
              + pick(r, SYSTEMS)
              + ", "
              + pick(r, VERBS)
              + " them and posts a "
              + pick(r, OUTPUTS)
              + " to "
              + pick(r, DESTINATIONS)
              + "."
              + pick(r, EXTRAS);
      Set<String> tags = new LinkedHashSet<>();
      tags.add(topic[1]);
      int extra = r.nextInt(4);
      for (int t = 0; t < extra; t++) {
        tags.add(TAGS[skewed(r, TAGS.length)]);
      }
      Map<String, Object> flow = new LinkedHashMap<>();
      flow.put("path", path);
      flow.put("name", name);
      flow.put("description", description);
      flow.put("author", team[r.nextInt(team.length)]);
      flow.put("organization", org);
      flow.put(
          "published",
          Json.timestamp(EPOCH.minus(Duration.ofMinutes(r.nextInt(2 * 365 * 24 * 60)))));
      flow.put("release", release(r));
      flow.put("tags", List.copyOf(tags));
      flows.add(flow);
    }
    paths.compareAndSet(n, null, flowPaths);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node(n));
    // Loopback addresses on a port nothing serves: the registry's probes of these made-up nodes
    // never leave the machine.
    body.put(
        "url", "http://127." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255) + ":1");
    body.put("tags", nodeTags);
    body.put("flows", flows);
    return Json.write(body);
  }

  /**
   * Node {@code n}'s heartbeat number {@code round}, shaped like the node's own ({@code
   * RegistryAnnouncer.stateBody}): a few health figures and each flow's runs in the last hour. Its
   * {@code uptime} is {@link #uptime(int) uptime(round)}.
   */
  String heartbeatBody(int n, int round) {
    String[] flowPaths = paths.get(n);
    if (flowPaths == null) {
      connectBody(n);
      flowPaths = paths.get(n);
    }
    Random r = random(n, 1 + round);
    StringBuilder b = new StringBuilder(128 + flowPaths.length * 96);
    b.append("{\"node\":")
        .append(Json.quote(node(n)))
        .append(",\"health\":{\"activeRuns\":")
        .append(r.nextInt(8))
        .append(",\"queuedRuns\":")
        .append(r.nextInt(3))
        .append(",\"uptime\":")
        .append(uptime(round))
        .append(",\"heapUsed\":")
        .append(200_000_000L + r.nextInt(400_000_000))
        .append("},\"usage\":{");
    for (int f = 0; f < flowPaths.length; f++) {
      int started = r.nextInt(4) == 0 ? r.nextInt(50) : 0;
      if (f > 0) b.append(',');
      b.append(Json.quote(flowPaths[f]))
          .append(":{\"runsStarted\":")
          .append(started)
          .append(",\"runsFinished\":")
          .append(started == 0 ? 0 : r.nextInt(started + 1))
          .append('}');
    }
    return b.append("}}").toString();
  }

  /** The {@code uptime} a node reports in heartbeat {@code round}: an hour, plus 30 s a round. */
  static long uptime(int round) {
    return 3_600 + 30L * round;
  }

  private static String release(Random r) {
    int major =
        switch (r.nextInt(20)) {
          case 0, 1, 2 -> 0;
          case 3, 4, 5, 6, 7, 8, 9, 10, 11 -> 1;
          case 12, 13, 14, 15, 16, 17 -> 2;
          default -> 3;
        };
    String v = major + "." + r.nextInt(13) + "." + r.nextInt(10);
    return r.nextInt(20) == 0 ? v + (r.nextBoolean() ? "-beta." : "-rc.") + (1 + r.nextInt(3)) : v;
  }

  /**
   * An index in {@code [0, n)}, small ones much more likely: index i about as likely as 1/√(i+1).
   */
  private static int skewed(Random r, int n) {
    double u = r.nextDouble();
    return Math.min(n - 1, (int) (n * u * u));
  }

  private static String pick(Random r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  private static String camel(String s) {
    StringBuilder b = new StringBuilder();
    for (String w : s.split("[^A-Za-z0-9]+")) {
      if (!w.isEmpty()) b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
    }
    return b.toString();
  }
}
