package dev.kodo.client;

import java.util.List;

/**
 * One page of a list (docs/http-api.md#lists): {@code total} items exist, {@code filtered} match
 * the request, and {@code items} are those on page {@code p} of {@code pp} per page.
 */
public record Page<T>(long total, long filtered, int p, int pp, List<T> items) {}
