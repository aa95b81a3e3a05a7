package dev.kodo.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this Kodo build. */
public final class Kodo {
  private static final String VERSION = load();

  private Kodo() {}

  /** This build's version, e.g. {@code 0.1.0}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Kodo.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
