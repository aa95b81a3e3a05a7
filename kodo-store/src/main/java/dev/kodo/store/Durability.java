package dev.kodo.store;

import java.util.Locale;

/**
 * When a store's commit counts as done ({@code kodo.store.durability}).
 *
 * <ul>
 *   <li>{@link #FSYNC} — a commit is on disk before it is acknowledged: neither {@code kill -9} nor
 *       a power cut loses an acknowledged write. SQLite {@code synchronous=FULL}; PostgreSQL {@code
 *       synchronous_commit=on}.
 *   <li>{@link #NORMAL} — a commit is acknowledged once the operating system has it: {@code kill
 *       -9} loses nothing, a power cut or kernel crash may lose the last acknowledged writes (never
 *       corrupts). SQLite {@code synchronous=NORMAL} (WAL); PostgreSQL {@code
 *       synchronous_commit=off}.
 * </ul>
 */
public enum Durability {
  FSYNC,
  NORMAL;

  /** The setting for {@code text} ({@code fsync} or {@code normal}, any case). */
  public static Durability parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "fsync" -> FSYNC;
      case "normal" -> NORMAL;
      default ->
          throw new IllegalArgumentException(
              "unknown store durability '" + text + "': use fsync or normal");
    };
  }

  /** How configuration spells it. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
