package dev.kodo.client;

/**
 * What a registry says about itself ({@code GET /registry/state}).
 *
 * @param name the registry's name
 * @param status {@code ok} while it serves
 * @param nodes how many nodes are registered in it (and come from its peers)
 * @param online how many of them are online
 * @param flows how many flows they offer
 * @param heartbeatTimeout seconds after its last heartbeat that a node shows offline
 */
public record RegistryState(
    String name, String status, long nodes, long online, long flows, long heartbeatTimeout) {}
