package dev.kodo.cli;

import dev.kodo.cluster.testing.ServiceJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code koco} in a JVM of its own for the integration tests: {@link KocoProcess} with the JVM
 * command of kodo-cluster-testing's {@link ServiceJvm} (the same module flags, and an AOT cache
 * that halves a node's start, docs/performance.md#tests-that-start-jvms).
 */
final class TestKoco {
  private TestKoco() {}

  /** As {@link KocoProcess#start}: {@code jvmFlags} go after the service flags. */
  static KocoProcess start(Path log, Map<String, String> env, List<String> jvmFlags, String... args)
      throws IOException {
    return KocoProcess.launch(log, env, ServiceJvm.command(Koco.class.getName(), jvmFlags), args);
  }
}
