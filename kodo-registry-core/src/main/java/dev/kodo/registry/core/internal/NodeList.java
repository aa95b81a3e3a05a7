package dev.kodo.registry.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The nodes of an index in name order (lower-cased name, then name), found by binary search. As a
 * {@link Snapshot} holds it, it is never changed; a write copies it ({@link #copy()}) — an array of
 * references, so about ten microseconds at 10,000 nodes — changes the copy and publishes it.
 */
final class NodeList {
  private final List<NodeSlot> slots;

  private NodeList(List<NodeSlot> slots) {
    this.slots = slots;
  }

  static NodeList empty() {
    return new NodeList(new ArrayList<>());
  }

  static NodeList of(List<NodeSlot> unsorted) {
    NodeSlot[] a = unsorted.toArray(NodeSlot[]::new);
    Arrays.sort(a, Snapshot.BY_NAME);
    return new NodeList(new ArrayList<>(Arrays.asList(a)));
  }

  NodeList copy() {
    return new NodeList(new ArrayList<>(slots));
  }

  private int find(String name) {
    String lower = Texts.lower(name);
    int lo = 0;
    int hi = slots.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      NodeEntry e = slots.get(mid).entry;
      int c = e.nameLower.compareTo(lower);
      if (c == 0) c = e.name.compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  NodeSlot get(String name) {
    if (name == null) return null;
    int i = find(name);
    return i >= 0 ? slots.get(i) : null;
  }

  boolean containsKey(String name) {
    return get(name) != null;
  }

  void put(String name, NodeSlot slot) {
    int i = find(name);
    if (i >= 0) {
      slots.set(i, slot);
    } else {
      slots.add(-i - 1, slot);
    }
  }

  NodeSlot remove(String name) {
    int i = find(name);
    return i >= 0 ? slots.remove(i) : null;
  }

  void removeIf(Predicate<NodeSlot> which) {
    slots.removeIf(which);
  }

  int size() {
    return slots.size();
  }

  NodeSlot[] toArray() {
    return slots.toArray(NodeSlot[]::new);
  }
}
