package dev.kodo.ui.registry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The registry's pages at {@code /registry/} (docs/ui.md#registry-pages), beside the registry's own
 * configuration (kodo-registry's {@code RegistryModule}) and on, like it, unless {@code
 * kodo.registry.enabled} is false. In a node's process ({@code koco serve}) they use the node UI's
 * chain, session and login ({@code UiModule}); for a registry alone ({@code koco registry}) {@link
 * RegistryUiAlone} brings those along.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.registry.enabled", havingValue = "true", matchIfMissing = true)
@Import({RegistryPagesController.class, RegistryAdminPagesController.class, RegistryNav.class})
public class RegistryUiModule {}
