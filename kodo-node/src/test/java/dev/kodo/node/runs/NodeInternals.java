package dev.kodo.node.runs;

import org.springframework.context.ApplicationContext;

/**
 * What integration tests outside this package may read of a running node's run machinery, through
 * the package-visible accessors of its beans instead of reflection or thread dumps. Stateless.
 */
public final class NodeInternals {
  private NodeInternals() {}

  /** How many runs the node's journal holds a write position for (runs it still writes to). */
  public static int openRuns(ApplicationContext context) {
    return context.getBean(RunJournal.class).openRuns();
  }

  /** How many live streams ({@code /api/runs/{fid}/stream}) the node is serving right now. */
  public static int liveStreams(ApplicationContext context) {
    return context.getBean(LiveHub.class).listenerCount();
  }
}
