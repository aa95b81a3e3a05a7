package dev.kodo.client;

import java.util.List;

/**
 * A node's handshake with a registry ({@code POST /registry/connect}): where it serves and what it
 * offers. The one model of this shape: the node writes it, the registry reads it. Immutable. Not
 * checked here: the registry checks what it takes in ({@code
 * dev.kodo.registry.core.Checks#connect}, the flows one by one in {@code
 * dev.kodo.registry.core.Announcements}).
 *
 * @param node the node's name, as an admin registered it
 * @param url the node's base URL (http or https), where clients launch its flows
 * @param tags the node's own tags, or null
 * @param flows the flows it offers; a connect replaces what the node announced before
 */
public record Connect(String node, String url, List<String> tags, List<FlowAnnouncement> flows) {}
