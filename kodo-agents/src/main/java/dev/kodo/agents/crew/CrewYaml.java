package dev.kodo.agents.crew;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a crew file's bytes into YAML nodes, safely (docs/flows.md#yaml-crews): at most {@value
 * #MAX_BYTES} bytes, UTF-8 only, one document, few aliases, shallow nesting. Only SnakeYAML's
 * composer runs — no constructor, so nothing is instantiated or executed. What cannot be read
 * becomes a {@link CrewProblem}; nothing escapes as an exception. Stateless.
 */
final class CrewYaml {
  /** The largest crew file read: 256 KiB. */
  static final int MAX_BYTES = 256 * 1024;

  /** Collections that may be aliased: enough to share an {@code llm:} block, not to bomb. */
  static final int MAX_ALIASES = 20;

  /** A crew is at most five levels deep (inputs → input → enum → value); leave room for more. */
  static final int MAX_DEPTH = 16;

  private CrewYaml() {}

  /** The file's text, or null after a problem in {@code nodes}. */
  static String read(Path file, CrewNodes nodes) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        nodes.problem(1, 1, "is a directory, not a crew file");
        return null;
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      nodes.problem(1, 1, "no such file");
      return null;
    } catch (AccessDeniedException e) {
      nodes.problem(1, 1, "cannot be read: permission denied");
      return null;
    } catch (IOException | SecurityException e) {
      nodes.problem(1, 1, "cannot be read: " + e.getClass().getSimpleName());
      return null;
    }
    if (bytes.length > MAX_BYTES) {
      nodes.problem(1, 1, tooLarge());
      return null;
    }
    return decode(bytes, nodes);
  }

  static String tooLarge() {
    return "the file is larger than " + MAX_BYTES / 1024 + " KiB; a crew file must be smaller";
  }

  /** UTF-8 text (without a byte-order mark), or null after a problem at the first bad byte. */
  static String decode(byte[] bytes, CrewNodes nodes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      out.flip();
      String before = out.toString();
      int lineStart = before.lastIndexOf('\n') + 1;
      int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
      int column = before.codePointCount(lineStart, before.length()) + 1;
      int bad = in.position() < bytes.length ? bytes[in.position()] & 0xff : 0;
      nodes.problem(
          line,
          column,
          String.format(
              Locale.ROOT,
              "the file is not UTF-8 (byte 0x%02X here is no UTF-8 character); save it as UTF-8",
              bad));
      return null;
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** The one document's root node; null for an empty document or after a problem. */
  static Node compose(String text, CrewNodes nodes) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_BYTES);
    options.setAllowDuplicateKeys(false);
    options.setProcessComments(false);
    options.setWrappedToRootException(false);
    try {
      Composer composer =
          new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options);
      return composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      String what = e.getProblem() == null ? "cannot be read" : e.getProblem();
      String message;
      if (e.getContext() == null) {
        message = what;
      } else if (what.startsWith("but ")) {
        message = e.getContext() + ", " + what; // "expected a single document…, but found…"
      } else {
        message = what + " (" + e.getContext() + ")";
      }
      nodes.problem(
          e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(),
          "YAML syntax: " + message);
      return null;
    } catch (ReaderException e) {
      int[] at = position(text, e.getPosition());
      nodes.problem(
          at[0],
          at[1],
          String.format(
              Locale.ROOT,
              "YAML syntax: the character U+%04X is not allowed in YAML",
              e.getCodePoint()));
      return null;
    } catch (YAMLException e) {
      nodes.problem(1, 1, "YAML: " + firstLine(e.getMessage()));
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      nodes.problem(1, 1, "YAML cannot be read: " + e.getClass().getSimpleName());
      return null;
    }
  }

  /** The 1-based line and column of the code point at {@code index} in {@code text}. */
  static int[] position(String text, int index) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int cp = 0; cp < index && i < text.length(); cp++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "cannot be read";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() <= 200 ? line : line.substring(0, 200) + "…";
  }
}
