package dev.kodo.registry;

import java.time.Instant;
import java.util.List;

/**
 * One flow as a node announces it when it connects (docs/http-api.md#nodes-and-their-handshake): {@code
 * {path,name,description,author,organization,published,release,tags}}. Not checked when built: a
 * node's announcement goes through {@link Announcements#validate} (or {@link
 * Announcements#fromJson}), which accepts the valid ones and rejects each invalid one with its
 * reason.
 *
 * <p>Required: {@code path} (unique on the node), {@code name} and {@code release} (a semantic
 * version like {@code 1.2.0}). Optional: {@code description}, {@code author}, {@code organization}
 * (empty when missing), {@code published} (unknown when missing), {@code tags} (none when
 * missing).
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
