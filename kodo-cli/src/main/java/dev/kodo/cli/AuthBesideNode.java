package dev.kodo.cli;

import dev.kodo.auth.FirstStartGrants;
import dev.kodo.client.Level;
import dev.kodo.client.access.Mode;
import dev.kodo.client.access.Resources;
import dev.kodo.node.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Joins node and auth provider when {@link Servers} composes them in one process ({@code koco
 * serve}, {@code kodo.auth.provider.enabled} true): on the provider's first start only, the node's
 * own identity {@code node:{name}} is granted mode {@code x}, level {@code full} on its own flows
 * ({@code flow://{name}/*}) — so that a crew's {@code kodo_flow} may launch a flow of the same node
 * out of the box — and on no other resource (docs/security.md#the-node-calling-other-nodes). Later
 * starts add nothing: an operator may have revoked it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.auth.provider.enabled", havingValue = "true")
class AuthBesideNode {
  private static final Logger log = LoggerFactory.getLogger(AuthBesideNode.class);

  /** The grant, given (or not) once the provider's first start is known. */
  @Bean
  NodeOwnFlowsGrant nodeOwnFlowsGrant(FirstStartGrants grants, NodeProperties node) {
    String name = node.getNode().getName();
    boolean added = false;
    try {
      added = grants.grant("node:" + name, Resources.FLOW + name + "/*", Mode.X, Level.FULL);
    } catch (IllegalArgumentException e) {
      // a convenience, not a reason to refuse to start: say why it was not given
      log.warn("did not grant node:{} its own flows: {}", name, e.getMessage());
    }
    return new NodeOwnFlowsGrant(name, added);
  }

  /**
   * What the first start granted the node: {@code added} when this start gave {@code node:{name}}
   * its own flows.
   */
  record NodeOwnFlowsGrant(String node, boolean added) {}
}
