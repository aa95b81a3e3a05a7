package dev.kodo.agents.internal;

import dev.langchain4j.exception.HttpException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider answered with an HTTP error: LangChain4j's {@link HttpException} (so its models map it
 * to their typed exceptions as usual) that also keeps the answer's headers, for {@code Retry-After}
 * and {@code retry-after-ms}.
 */
final class ProviderHttpException extends HttpException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // never serialised: it does not leave the process
  private final Map<String, List<String>> headers;

  ProviderHttpException(int status, String body, Map<String, List<String>> headers) {
    super(status, body);
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    this.headers = copy;
  }

  /** The first value of a header, the name compared without case. */
  Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }
}
