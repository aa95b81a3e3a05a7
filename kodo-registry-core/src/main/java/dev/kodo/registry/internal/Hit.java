package dev.kodo.registry.internal;

/**
 * A record that matched a list request, with the node state it was judged by (so that sorting
 * sees the same values as filtering even while heartbeats arrive) and its place in the default
 * order (the last tie-breaker).
 */
record Hit<E>(E entry, NodeState state, int order) {}
