package dev.kodo.ui.registry;

import dev.kodo.client.RegistryFlow;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.util.UriUtils;

/**
 * A flow as the registry's flow search shows it (docs/ui.md#registry-pages), with the link to its
 * node's launch page ({@code {node url}/launch?flow=PATH}).
 *
 * @param flow the flow as the registry lists it
 * @param launch where it is launched, or null when its node's URL is not an http(s) URL
 */
public record FlowRow(RegistryFlow flow, String launch) {

  /** The row of {@code flow}. */
  public static FlowRow of(RegistryFlow flow) {
    return new FlowRow(flow, launch(flow.url(), flow.path()));
  }

  /**
   * {@code {url}/launch?flow={path}}, the path encoded as a query value; null unless {@code url} is
   * an absolute http or https URL (a link never runs script: no {@code javascript:}).
   */
  public static String launch(String url, String path) {
    String base = http(url);
    if (base == null || path == null) return null;
    return base + "/launch?flow=" + UriUtils.encodeQueryParam(path, StandardCharsets.UTF_8);
  }

  /**
   * {@code url} without a trailing slash if it is an absolute http or https URL with a host, else
   * null.
   */
  public static String http(String url) {
    if (url == null) return null;
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) return null;
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
