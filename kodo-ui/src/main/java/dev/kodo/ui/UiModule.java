package dev.kodo.ui;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The node's web UI as a part of a node's Spring application (docs/ui.md): pages at {@code /} on
 * the node's own run, flow and lock services, with their own session-based filter chain before the
 * API's. {@code koco serve} and {@code koco node} compose it into the node's process (kodo-cli's
 * {@code Servers}); tests pass it to {@code NodeApplication.start} as an extra class.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
public class UiModule {}
