package dev.kodo.registry.core.internal;

import dev.kodo.client.FlowUsage;
import java.util.Map;

/**
 * The paths of one node's flows in path order, as one connect (or a restore) made its entries:
 * shared by those {@link FlowEntry entries}, each knowing its place in them, so that what a
 * heartbeat reports by flow path can be kept in an array by place ({@link
 * NodeState#usage(FlowEntry)}) and read by a list without looking each match's path up in a map
 * (docs/performance.md#registry-searched-lists). Immutable; told apart by identity: a new connect
 * makes new paths even when they are the same.
 */
final class FlowPaths {
  /** The figures of a {@link FlowUsage}, in the order of its components. */
  static final int RUNS_STARTED = 0;

  static final int RUNS_FINISHED = 1;
  static final int MODEL_CALLS = 2;
  static final int INPUT_TOKENS = 3;
  static final int OUTPUT_TOKENS = 4;
  static final int COST = 5;
  private static final int FIGURES = 6;

  /** The paths of a node without flows. */
  static final FlowPaths NONE = new FlowPaths(new String[0]);

  private final String[] paths;

  /**
   * @param paths in the order of the node's entries (path order), not changed afterwards
   */
  FlowPaths(String[] paths) {
    this.paths = paths;
  }

  /** How many flows there are. */
  int size() {
    return paths.length;
  }

  /**
   * Each flow's usage in {@code byPath} as plain numbers, by figure then place — figure {@code k}
   * of the flow in place {@code p} at {@code [k * size() + p]}, so that one figure of a node's
   * flows lies together — and 0 where a flow has none ({@link FlowUsage#NONE}, as {@link
   * NodeState#usage(String)} answers).
   */
  double[] figures(Map<String, FlowUsage> byPath) {
    int n = paths.length;
    double[] out = new double[FIGURES * n];
    for (int p = 0; p < n; p++) {
      FlowUsage u = byPath.get(paths[p]);
      if (u == null) continue;
      for (int k = 0; k < FIGURES; k++) out[k * n + p] = figure(u, k);
    }
    return out;
  }

  /** Figure {@code k} of the flow in place {@code place} of {@link #figures}. */
  double figure(double[] figures, int place, int k) {
    return figures[k * paths.length + place];
  }

  /** The usage of the flow in place {@code place} of {@link #figures}. */
  FlowUsage usage(double[] figures, int place) {
    int n = paths.length;
    return new FlowUsage(
        figures[place],
        figures[n + place],
        figures[2 * n + place],
        figures[3 * n + place],
        figures[4 * n + place],
        figures[5 * n + place]);
  }

  /** Figure {@code k} of {@code u}. */
  static double figure(FlowUsage u, int k) {
    return switch (k) {
      case RUNS_STARTED -> u.runsStarted();
      case RUNS_FINISHED -> u.runsFinished();
      case MODEL_CALLS -> u.modelCalls();
      case INPUT_TOKENS -> u.inputTokens();
      case OUTPUT_TOKENS -> u.outputTokens();
      case COST -> u.cost();
      default -> throw new IllegalArgumentException("no usage figure " + k);
    };
  }
}
