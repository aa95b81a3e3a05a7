package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.NodeClient;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code OTEL_EXPORTER_OTLP_ENDPOINT} set (docs/operations.md#traces), a node sends its runs'
 * spans over OTLP/HTTP to {@code {endpoint}/v1/traces}: an OTLP receiver on loopback gets the run's
 * launch, dispatch and flow spans, with its fid.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OtlpExportIT {
  static final String FLOW = "dev.kodo.examples.ResearchSteps";

  @Test
  void runSpansReachAnOtlpReceiver() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          exchange.getRequestBody().transferTo(body);
          paths.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type"));
          // protobuf keeps strings as UTF-8 bytes: span names and attribute values read as text
          bodies.add(body.toString(StandardCharsets.ISO_8859_1));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    try (ConfigurableApplicationContext node =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.auth.enabled=false",
            "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=" + FLOW,
            "--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + receiver.getAddress().getPort())) {
      String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
      NodeClient client = NodeClient.connect(base);
      String fid = client.launch(FLOW, Map.of("topic", "otlp", "steps", 1, "pause", 0)).fid();
      client.stream(fid, 0, e -> {});
      // the batch processor sends within its schedule delay (5 s by default)
      await(
          "the run's flow span at the receiver",
          () ->
              bodies.stream().anyMatch(b -> b.contains("kodo.flow " + FLOW) && b.contains(fid))
                  ? true
                  : null);
      String all = String.join("", bodies);
      assertThat(all).contains("kodo.launch " + FLOW, "kodo.dispatch " + FLOW, "kodo-node");
      assertThat(paths).allMatch(p -> p.equals("POST /v1/traces application/x-protobuf"));
    } finally {
      receiver.stop(0);
    }
  }
}
