package dev.kodo.client;

import java.time.Instant;
import java.util.List;

/**
 * A flow as a registry shows it ({@code GET /registry/flows}): what its node announced with an
 * admin's constraints merged over it, its use, and what a client needs to launch it directly — its
 * node's URL and liveness. The one model of this shape: the registry makes it, its client reads it.
 * Immutable; made per answer.
 *
 * @param node the node that offers it
 * @param path its identity on that node
 * @param name display name
 * @param description what it does (Markdown), possibly empty
 * @param author who wrote it, possibly empty
 * @param organization who offers it, possibly empty
 * @param published when this release was published, or null if the node did not say
 * @param release its version (semver)
 * @param tags the tags shown: the admin's if set, else the announced ones
 * @param announcedTags the tags its node announced for it
 * @param constraints what an admin set on the flow ({@code tags}, {@code hidden}, {@code notes})
 * @param hidden whether it is hidden from non-operators
 * @param notes the admin's notes on the flow, or null
 * @param usage runs started and finished in the last hour ({@code runsStarted}, {@code
 *     runsFinished}), as its node last reported
 * @param url its node's base URL, where it is launched
 * @param online whether its node is online
 * @param heartbeat when the registry last heard from its node, or null
 * @param availability its node's availability (0..1), or null if never probed
 * @param nodeTags its node's tags as shown
 * @param origin the registry its node was announced to if it came through federation; else null
 */
public record RegistryFlow(
    String node,
    String path,
    String name,
    String description,
    String author,
    String organization,
    Instant published,
    String release,
    List<String> tags,
    List<String> announcedTags,
    Constraints constraints,
    boolean hidden,
    String notes,
    FlowUsage usage,
    String url,
    boolean online,
    Instant heartbeat,
    Double availability,
    List<String> nodeTags,
    String origin) {}
