package dev.kodo.auth.store;

import dev.kodo.client.access.Subjects;

/**
 * An OAuth2 client of a node or worker (docs/security.md#auth-provider): it obtains tokens with
 * client credentials; its subject is {@code {kind}:{clientId}}. The secret's hash is read apart
 * ({@link AuthStore#clientSecretHash}).
 *
 * @param kind {@code node} or {@code worker}
 * @param node the node the client belongs to (a worker's node), or null
 */
public record StoredClient(String clientId, String kind, String node, long created) {
  public static final String NODE = "node";
  public static final String WORKER = "worker";

  /** {@code node:{clientId}} or {@code worker:{clientId}}. */
  public String subject() {
    return NODE.equals(kind) ? Subjects.node(clientId) : Subjects.worker(clientId);
  }
}
