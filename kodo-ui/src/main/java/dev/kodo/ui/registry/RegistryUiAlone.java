package dev.kodo.ui.registry;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The registry's pages in a registry's own process ({@code koco registry};
 * docs/ui.md#registry-pages and docs/decisions.md): {@link RegistryUiModule} with the parts of the
 * node's UI that every page needs — its filter chain, session and CSRF ({@code UiSecurity}, {@code
 * UiPages}), the login page ({@code UiLoginController}, {@code UiLogins}), the header's model and
 * the error page — and {@code /} sent to {@code /registry/}. The node's own pages (flows, runs) are
 * left out: this process has no node.
 */
@Configuration(proxyBeanMethods = false)
@Import({RegistryUiModule.class, RegistryHome.class})
@ComponentScan(
    basePackages = "dev.kodo.ui",
    useDefaultFilters = false,
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern =
                "dev\\.kodo\\.ui\\.(UiModel|UiErrors|security\\.UiSecurity|security\\.UiPages|security\\.UiLogins"
                    + "|login\\.UiLoginController)"))
public class RegistryUiAlone {}
