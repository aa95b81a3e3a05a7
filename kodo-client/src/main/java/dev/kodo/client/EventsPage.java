package dev.kodo.client;

import java.util.List;

/**
 * A slice of a run's event log ({@code GET /api/runs/{fid}/events}).
 *
 * @param items events with {@code seq} greater than the requested {@code after}, in order
 * @param last the highest {@code seq} the run has so far
 * @param more whether events after the last item exist already
 */
public record EventsPage(String fid, List<Event> items, long last, boolean more) {}
