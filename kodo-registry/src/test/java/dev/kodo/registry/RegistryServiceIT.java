package dev.kodo.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The registry service end to end over HTTP: admin, handshake, browse and search, errors, restart.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryServiceIT {
  private RegistryTestServer server;
  private String base;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private void start(Path data, String name) {
    server = RegistryTestServer.start(data, name);
    base = server.base;
  }

  @Test
  void registerConnectBrowseSearchDisconnectUnregisterAndRestart() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path data =
        Files.createDirectories(Path.of("target", "it-data", "registry-" + id)).toAbsolutePath();
    start(data, "reg-" + id);

    // register
    HttpResponse<String> r = send("POST", "/registry/register", "{\"node\":\"alpha\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("name").asString()).isEqualTo("alpha");
    assertThat(send("POST", "/registry/register", "{\"node\":\"beta\"}").statusCode())
        .isEqualTo(201);

    // connect: one bad record (no release), one good
    String flows =
        "[{\"path\":\"bad.yaml\",\"name\":\"Broken\"},"
            + "{\"path\":\"report.yaml\",\"name\":\"Quarterly report\",\"description\":\"Writes a finance report\","
            + "\"author\":\"Ann\",\"organization\":\"Acme\",\"release\":\"1.2.0\",\"tags\":[\"finance\",\"reports\"]}]";
    r =
        send(
            "POST",
            "/registry/connect",
            "{\"node\":\"alpha\",\"url\":\"http://127.0.0.1:3370\",\"flows\":" + flows + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode answer = json(r);
    assertThat(texts(answer.get("accepted"))).containsExactly("report.yaml");
    assertThat(answer.get("rejected")).hasSize(1);
    assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(0);
    assertThat(answer.get("rejected").get(0).get("path").asString()).isEqualTo("bad.yaml");
    assertThat(answer.get("rejected").get(0).get("field").asString()).isEqualTo("release");
    assertThat(answer.get("rejected").get(0).get("reason").asString()).contains("required");

    r =
        send(
            "POST",
            "/registry/connect",
            "{\"node\":\"beta\",\"url\":\"http://127.0.0.1:3372\",\"flows\":["
                + "{\"path\":\"a/hello.yaml\",\"name\":\"Hello\",\"release\":\"0.1.0\",\"tags\":[\"demo\"]},"
                + "{\"path\":\"b/bye.yaml\",\"name\":\"Bye\",\"release\":\"2.0.0\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(texts(json(r).get("accepted"))).containsExactly("a/hello.yaml", "b/bye.yaml");

    // heartbeat
    r =
        send(
            "PUT",
            "/registry/state",
            "{\"node\":\"alpha\",\"load\":0.25,\"usage\":{\"report.yaml\":{\"runsStarted\":3,\"runsFinished\":2}}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    // flows listed with their node's url and liveness
    JsonNode page = ok("/registry/flows");
    assertThat(page.get("total").asInt()).isEqualTo(3);
    JsonNode report = page.get("items").get(0);
    assertThat(report.get("node").asString()).isEqualTo("alpha");
    assertThat(report.get("path").asString()).isEqualTo("report.yaml");
    assertThat(report.get("url").asString()).isEqualTo("http://127.0.0.1:3370");
    assertThat(report.get("online").asBoolean()).isTrue();
    assertThat(report.get("heartbeat").isNull()).isFalse();
    // an older node's heartbeat has no model figures: they read as 0
    assertThat(report.get("usage").get("runsStarted").asDouble()).isEqualTo(3.0);
    assertThat(report.get("usage").get("modelCalls").asDouble()).isEqualTo(0.0);
    assertThat(report.get("usage").get("cost").asDouble()).isEqualTo(0.0);
    r =
        send(
            "PUT",
            "/registry/state",
            "{\"node\":\"alpha\",\"load\":0.25,\"usage\":{\"report.yaml\":{\"runsStarted\":3,"
                + "\"runsFinished\":2,\"modelCalls\":7,\"inputTokens\":1500,\"outputTokens\":420,"
                + "\"cost\":0.03}}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode used = ok("/registry/flows").get("items").get(0).get("usage");
    assertThat(used.get("modelCalls").asDouble()).isEqualTo(7.0);
    assertThat(used.get("inputTokens").asDouble()).isEqualTo(1500.0);
    assertThat(used.get("outputTokens").asDouble()).isEqualTo(420.0);
    assertThat(used.get("cost").asDouble()).isEqualTo(0.03);
    assertThat(
            paths(
                ok(
                    "/registry/flows?query="
                        + enc("model_calls >= 5 and input_tokens > 1000 and cost < 1"))))
        .containsExactly("report.yaml");

    // search, query, paging, by
    page = ok("/registry/flows?search=" + enc("finance"));
    assertThat(page.get("filtered").asInt()).isEqualTo(1);
    assertThat(page.get("items").get(0).get("path").asString()).isEqualTo("report.yaml");
    page = ok("/registry/flows?search=" + enc("h*"));
    assertThat(paths(page)).containsExactly("a/hello.yaml");
    page = ok("/registry/flows?query=" + enc("tags contains \"demo\" or release >= \"2.0.0\""));
    assertThat(paths(page)).containsExactly("a/hello.yaml", "b/bye.yaml");
    page = ok("/registry/flows?by=" + enc("name desc") + "&pp=2&p=0");
    assertThat(page.get("total").asInt()).isEqualTo(3);
    assertThat(page.get("pp").asInt()).isEqualTo(2);
    assertThat(paths(page)).containsExactly("report.yaml", "a/hello.yaml");
    page = ok("/registry/flows?by=" + enc("name desc") + "&pp=2&p=1");
    assertThat(paths(page)).containsExactly("b/bye.yaml");
    assertThat(ok("/registry/nodes").get("total").asInt()).isEqualTo(2);
    assertThat(ok("/registry/nodes/alpha").get("online").asBoolean()).isTrue();
    assertThat(ok("/registry/state").get("flows").asInt()).isEqualTo(3);

    // a malformed query: 400 naming the column
    r = get("/registry/flows?query=" + enc("name = "));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(json(r).get("detail").asString()).contains("column 8");

    // bad and repeated params
    assertThat(get("/registry/flows?pp=0").statusCode()).isEqualTo(400);
    assertThat(get("/registry/flows?p=-1").statusCode()).isEqualTo(400);
    assertThat(get("/registry/flows?p=abc").statusCode()).isEqualTo(400);
    assertThat(get("/registry/flows?p=1&p=2").statusCode()).isEqualTo(400);
    assertThat(get("/registry/flows?by=" + enc("nonsense")).statusCode()).isEqualTo(400);

    // injection attempts: 4xx or a literal match, never 500
    for (String evil :
        List.of(
            "' OR 1=1 --",
            "\"; DROP TABLE registry_nodes; --",
            "*') or ('1'='1",
            "${jndi:ldap://x}",
            "name = \"x\" or 1=1",
            "__proto__",
            "%",
            "\\",
            "java.lang.Runtime.getRuntime().exec(\"id\")",
            ")(",
            "[a-z]+.*")) {
      HttpResponse<String> s = get("/registry/flows?search=" + enc(evil));
      assertThat(s.statusCode()).as(evil + ": " + s.body()).isIn(200, 400);
      if (s.statusCode() == 200) assertThat(json(s).get("filtered").asInt()).as(evil).isZero();
      HttpResponse<String> q = get("/registry/flows?query=" + enc(evil));
      assertThat(q.statusCode()).as(evil + ": " + q.body()).isIn(200, 400);
      if (q.statusCode() == 200) assertThat(json(q).get("filtered").asInt()).as(evil).isZero();
    }
    assertThat(ok("/registry/flows").get("total").asInt()).isEqualTo(3);

    // malformed JSON: 400 with line and column
    r = send("POST", "/registry/register", "{\"node\":\n \"x\",,}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).get("detail").asString()).contains("line 2");

    // an unregistered node cannot connect
    r =
        send(
            "POST",
            "/registry/connect",
            "{\"node\":\"ghost\",\"url\":\"http://127.0.0.1:1\",\"flows\":[]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(get("/registry/nodes/ghost").statusCode()).isEqualTo(404);

    // admin constraints: tags win, hidden flows vanish
    r = send("PUT", "/registry/flows/beta/b/bye.yaml", "{\"hidden\":true,\"notes\":\"retired\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(paths(ok("/registry/flows"))).containsExactly("report.yaml", "a/hello.yaml");
    r = send("PUT", "/registry/nodes/alpha", "{\"tags\":[\"eu\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(texts(json(r).get("tags"))).containsExactly("eu");
    assertThat(json(r).get("constraints").propertyNames())
        .containsExactlyInAnyOrder("tags", "hidden", "notes");
    assertThat(send("PUT", "/registry/nodes/ghost", "{\"hidden\":true}").statusCode())
        .isEqualTo(404);

    // disconnect: offline, flows still listed
    r = send("POST", "/registry/disconnect", "{\"node\":\"alpha\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ok("/registry/nodes/alpha").get("online").asBoolean()).isFalse();
    JsonNode alphaFlows = ok("/registry/flows?query=" + enc("node = \"alpha\""));
    assertThat(alphaFlows.get("items").get(0).get("online").asBoolean()).isFalse();
    assertThat(send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":0.1}").statusCode())
        .isEqualTo(409);

    // unregister removes the node's flows
    assertThat(send("DELETE", "/registry/register/alpha", null).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/registry/register/alpha", null).statusCode()).isEqualTo(404);
    assertThat(paths(ok("/registry/flows"))).containsExactly("a/hello.yaml");

    // a restart on the same data keeps nodes and flows
    server.close();
    server = null;
    start(data, "reg-" + id);
    assertThat(ok("/registry/nodes").get("total").asInt()).isEqualTo(1);
    assertThat(paths(ok("/registry/flows"))).containsExactly("a/hello.yaml");
    assertThat(ok("/registry/nodes/beta").get("url").asString()).isEqualTo("http://127.0.0.1:3372");
    r = send("PUT", "/registry/flows/beta/b/bye.yaml", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(paths(ok("/registry/flows"))).containsExactly("a/hello.yaml", "b/bye.yaml");
  }

  @Test
  void badRequestsAreProblemsNamingWhatIsWrong() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    start(
        Files.createDirectories(Path.of("target", "it-data", "registry-" + id)).toAbsolutePath(),
        "edge-" + id);
    assertThat(send("POST", "/registry/register", "{\"node\":\"alpha\"}").statusCode())
        .isEqualTo(201);

    // bodies: not an object, a field twice, an unknown field, a wrong type, missing, not JSON
    problem(send("POST", "/registry/register", "[\"alpha\"]"), 400, "JSON object");
    problem(
        send("POST", "/registry/register", "{\"node\":\"a\",\"node\":\"b\"}"),
        400,
        "more than once");
    problem(send("POST", "/registry/register", "{\"nod\":\"a\"}"), 400, "'nod'");
    problem(send("POST", "/registry/register", "{\"node\":42}"), 400, "'node' must be a string");
    problem(send("POST", "/registry/register", "{}"), 400, "'node' is required");
    problem(send("POST", "/registry/register", "{\"node\":\"bad name!\"}"), 400, "node");
    HttpResponse<String> yaml =
        send(
            HttpRequest.newBuilder(URI.create(base + "/registry/register"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString("node: a"))
                .build());
    assertThat(yaml.statusCode()).isEqualTo(415);

    // connect: bad URL, flows not an array, wrong types in a record (rejected alone)
    problem(
        send("POST", "/registry/connect", "{\"node\":\"alpha\",\"url\":\"ftp://x\",\"flows\":[]}"),
        400,
        "url");
    problem(
        send(
            "POST",
            "/registry/connect",
            "{\"node\":\"alpha\",\"url\":\"http://127.0.0.1:1\",\"flows\":{}}"),
        400,
        "flows");
    HttpResponse<String> r =
        send(
            "POST",
            "/registry/connect",
            "{\"node\":\"alpha\",\"url\":\"http://127.0.0.1:1\",\"flows\":["
                + "{\"path\":\"a.yaml\",\"name\":7,\"release\":\"1.0.0\"},{\"path\":\"b.yaml\",\"name\":\"B\",\"release\":\"1.0\"},"
                + "\"c.yaml\",{\"path\":\"d.yaml\",\"name\":\"D\",\"release\":\"1.0.0\"},{\"path\":\"d.yaml\",\"name\":\"D2\",\"release\":\"1.0.0\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(texts(json(r).get("accepted"))).containsExactly("d.yaml");
    List<Integer> indexes = new ArrayList<>();
    json(r).get("rejected").forEach(x -> indexes.add(x.get("index").asInt()));
    assertThat(indexes).containsExactly(0, 1, 2, 4);

    // heartbeats: unknown node 404, bad figures 400
    problem(send("PUT", "/registry/state", "{\"node\":\"ghost\",\"load\":1}"), 404, "ghost");
    problem(
        send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":\"high\"}"),
        400,
        "'load' must be a number");
    problem(
        send(
            "PUT",
            "/registry/state",
            "{\"node\":\"alpha\",\"usage\":{\"d.yaml\":{\"runsStarted\":-1}}}"),
        400,
        "usage");
    problem(
        send(
            "PUT",
            "/registry/state",
            "{\"node\":\"alpha\",\"usage\":{\"d.yaml\":{\"modelCalls\":-2}}}"),
        400,
        "modelCalls");
    problem(
        send(
            "PUT",
            "/registry/state",
            "{\"node\":\"alpha\",\"usage\":{\"d.yaml\":{\"cost\":\"cheap\"}}}"),
        400,
        "usage.d.yaml.cost");
    problem(
        send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":1,\"load\":2}"),
        400,
        "'load' is given more than once");
    problem(
        send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":"),
        400,
        "malformed JSON at line 1");
    problem(send("PUT", "/registry/state", "[]"), 400, "JSON object");
    problem(send("PUT", "/registry/state", ""), 400, "");
    HttpResponse<String> text =
        send(
            HttpRequest.newBuilder(URI.create(base + "/registry/state"))
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"node\":\"alpha\"}"))
                .build());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(
            send("PUT", "/registry/state", "{\"node\":\"alpha\",\"health\":{\"load\":0.5}}")
                .statusCode())
        .isEqualTo(200);
    assertThat(ok("/registry/nodes/alpha").get("health").get("load").asDouble()).isEqualTo(0.5);

    // lists: far pages are empty, node queries work, bad search is refused
    JsonNode far = ok("/registry/flows?p=999999");
    assertThat(far.get("items")).isEmpty();
    assertThat(far.get("total").asInt()).isEqualTo(1);
    assertThat(ok("/registry/nodes?query=" + enc("online and flows >= 1")).get("filtered").asInt())
        .isEqualTo(1);
    problem(get("/registry/flows?pp=1001"), 400, "pp");
    problem(get("/registry/flows?search=%01"), 400, "search");
    problem(get("/registry/flows?query=" + enc("nosuchfield = 1")), 400, "column 1");
    problem(get("/registry/nothing"), 404, "/registry");
    problem(send("DELETE", "/registry/flows", null), 405, "DELETE");

    // a hidden node is not listed, nor are its flows, until the constraint is cleared
    assertThat(send("PUT", "/registry/nodes/alpha", "{\"hidden\":true}").statusCode())
        .isEqualTo(200);
    problem(get("/registry/nodes/alpha"), 404, "alpha");
    assertThat(ok("/registry/nodes").get("total").asInt()).isZero();
    assertThat(ok("/registry/flows").get("total").asInt()).isZero();
    assertThat(ok("/registry/nodes/alpha?hidden=true").get("hidden").asBoolean())
        .as("an operator still sees it")
        .isTrue();
    assertThat(ok("/registry/nodes?hidden=true").get("total").asInt()).isEqualTo(1);
    assertThat(paths(ok("/registry/flows?hidden=true"))).containsExactly("d.yaml");
    problem(get("/registry/flows?hidden=yes"), 400, "hidden");
    problem(send("PUT", "/registry/nodes/alpha", "{\"hiden\":false}"), 400, "'hiden'");
    assertThat(send("PUT", "/registry/nodes/alpha", "{}").statusCode()).isEqualTo(200);
    assertThat(paths(ok("/registry/flows"))).containsExactly("d.yaml");

    // unknown nodes elsewhere are 404
    problem(send("POST", "/registry/disconnect", "{\"node\":\"ghost\"}"), 404, "ghost");
    problem(send("DELETE", "/registry/register/ghost", null), 404, "ghost");
  }

  private static void problem(HttpResponse<String> r, int status, String detailContains) {
    RegistryTestServer.problem(r, status, detailContains);
  }

  private JsonNode ok(String path) {
    return server.ok(path);
  }

  private static JsonNode json(HttpResponse<String> r) {
    return RegistryTestServer.json(r);
  }

  private static List<String> texts(JsonNode array) {
    return RegistryTestServer.texts(array);
  }

  private static List<String> paths(JsonNode page) {
    return RegistryTestServer.items(page, "path");
  }

  private static String enc(String s) {
    return RegistryTestServer.enc(s);
  }

  private HttpResponse<String> get(String path) {
    return server.get(path);
  }

  private HttpResponse<String> send(String method, String path, String body) {
    return server.send(method, path, body);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    return RegistryTestServer.send(request);
  }
}
