package dev.kodo.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags a Kodo service's JVM gets (Hazelcast, sqlite-jdbc and Tomcat want these modules
 * opened), as {@code ./koco} gives them to {@code serve}, {@code node}, {@code registry}, {@code
 * auth} and {@code worker}: the one list for the JVMs Kodo's own code starts ({@code KocoProcess},
 * the tests' {@code ServiceJvm}). An AOT cache is valid only for the module flags it was trained
 * with (docs/performance.md#tests-that-start-jvms), so they must all agree.
 */
public final class ServiceJvmFlags {
  /** The flags for this JVM's version ({@code --sun-misc-unsafe-memory-access} from JDK 23). */
  public static final List<String> FLAGS = flags();

  private ServiceJvmFlags() {}

  private static List<String> flags() {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--add-modules",
                "java.se",
                "--add-exports",
                "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens",
                "java.management/sun.management=ALL-UNNAMED",
                "--add-opens",
                "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      flags.add("--sun-misc-unsafe-memory-access=allow");
    }
    return List.copyOf(flags);
  }
}
