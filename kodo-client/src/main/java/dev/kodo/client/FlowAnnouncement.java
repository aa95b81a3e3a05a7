package dev.kodo.client;

import java.time.Instant;
import java.util.List;

/**
 * One flow as a node announces it when it connects (docs/http-api.md#nodes-and-their-handshake):
 * {@code {path,name,description,author,organization,published,release,tags}}. The one model of this
 * shape: the node writes it, the registry reads it. Not checked when built: the registry checks a
 * node's announcement ({@code dev.kodo.registry.core.Announcements}), accepting the valid ones and
 * rejecting each invalid one with its reason. Immutable.
 *
 * <p>Required: {@code path} (unique on the node), {@code name} and {@code release} (a semantic
 * version like {@code 1.2.0}). Optional: {@code description}, {@code author}, {@code organization}
 * (empty when missing), {@code published} (unknown when missing), {@code tags} (none when missing).
 *
 * @param path the flow's identity on its node: a YAML file's relative path or a Java class name
 * @param name the display name
 * @param description what the flow does (Markdown), or null
 * @param author who wrote it, or null
 * @param organization who offers it, or null
 * @param published when this release was published, or null
 * @param release its version, semver
 * @param tags its tags, or null
 */
public record FlowAnnouncement(
    String path,
    String name,
    String description,
    String author,
    String organization,
    Instant published,
    String release,
    List<String> tags) {}
