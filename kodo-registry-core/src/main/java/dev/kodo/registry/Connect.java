package dev.kodo.registry;

import dev.kodo.registry.internal.Texts;
import java.util.List;

/**
 * A node's handshake ({@code POST /registry/connect}): where it serves and what it offers. The
 * flows are checked one by one when the registry takes the connect ({@link Announcements}); the
 * rest is checked here.
 *
 * @param node the node's name, as an admin registered it
 * @param url the node's base URL (http or https), where clients launch its flows
 * @param tags the node's own tags, or null
 * @param flows the flows it offers; a connect replaces what the node announced before
 */
public record Connect(String node, String url, List<String> tags, List<FlowAnnouncement> flows) {
  /** @throws InvalidRequestException naming {@code node}, {@code url} or {@code tags} */
  public Connect {
    Texts.nodeName(node, "node");
    url = checkUrl(url);
    tags = tags == null ? List.of() : Texts.tags(tags, "tags");
    flows = flows == null ? List.of() : flows;
  }

  private static String checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidRequestException("url", "the node's URL is required");
    }
    return Texts.httpUrl(url, "url");
  }

}
