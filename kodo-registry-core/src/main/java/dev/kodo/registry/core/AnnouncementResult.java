package dev.kodo.registry.core;

import dev.kodo.client.FlowAnnouncement;
import java.util.List;

/**
 * The outcome of checking a node's announced flows: the valid ones, normalised, and a reason for
 * each invalid one. A connect keeps the accepted flows and answers both lists.
 *
 * @param accepted the flows that passed, in the announced order, with defaults filled in
 * @param rejected one entry per flow that did not, in the announced order
 */
public record AnnouncementResult(List<FlowAnnouncement> accepted, List<Rejection> rejected) {
  public AnnouncementResult {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
  }

  /** The paths of the accepted flows, in order. */
  public List<String> acceptedPaths() {
    return accepted.stream().map(FlowAnnouncement::path).toList();
  }
}
