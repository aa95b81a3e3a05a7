package dev.kodo.node.flows;

/**
 * Published when the node's flows changed (a reload added, removed or changed some), so that
 * whoever shows them elsewhere (the registries) hears of it at once.
 *
 * @param version the catalogue's {@link dev.kodo.engine.FlowCatalog#version()} after the change
 */
public record FlowsChanged(int version) {}
