package dev.kodo.engine;

import dev.kodo.client.KodoException;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link FlowSource} for the engine's tests, registered in the test {@code META-INF/services}:
 * reads {@code *.yaml} files whose first line is {@code name: X}; any other first line is refused
 * as {@code file:1:1: …}, like a crew with a problem. The flow's launch check asks for {@code
 * ${KEY}} when the file's second line is {@code needs: KEY}.
 */
public final class EngineTestFlowSource implements FlowSource {
  @Override
  public boolean reads(Path file) {
    return file.getFileName().toString().endsWith(".yaml");
  }

  @Override
  public LoadedFlow load(Path file, String path, ClassLoader loader) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.isEmpty() || !lines.getFirst().startsWith("name: ")) {
      throw new KodoException(file + ":1:1: expected 'name: …'");
    }
    String name = lines.getFirst().substring("name: ".length()).trim();
    String needs =
        lines.size() > 1 && lines.get(1).startsWith("needs: ")
            ? lines.get(1).substring("needs: ".length()).trim()
            : null;
    return LoadedFlow.of(
        path,
        FlowSpec.builder(name).build(),
        () ->
            new dev.kodo.sdk.Flow() {
              @Override
              public FlowSpec spec() {
                return FlowSpec.builder(name).build();
              }

              @Override
              public Result run(dev.kodo.sdk.FlowContext ctx) {
                return Result.markdown(name);
              }
            },
        String.join("\n", lines),
        secrets ->
            needs == null || secrets.get(needs).isPresent()
                ? List.of()
                : List.of(
                    "set " + needs + " (in the environment or as kodo.secrets." + needs + ")"));
  }
}
