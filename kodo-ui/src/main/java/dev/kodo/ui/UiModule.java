package dev.kodo.ui;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * The node's web UI as a part of a node's Spring application (docs/ui.md): pages at {@code /} on
 * the node's own run, flow and lock services, with their own session-based filter chain before the
 * API's. {@code koco serve} and {@code koco node} compose it into the node's process (kodo-cli's
 * {@code Servers}); tests pass it to {@code NodeApplication.start} as an extra class. The
 * registry's pages ({@code dev.kodo.ui.registry}) are not part of it: they come with the registry
 * ({@link dev.kodo.ui.registry.RegistryUiModule}).
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(
    excludeFilters =
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.kodo\\.ui\\.registry\\..*"))
public class UiModule {}
