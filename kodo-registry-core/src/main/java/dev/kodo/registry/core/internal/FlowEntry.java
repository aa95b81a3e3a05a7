package dev.kodo.registry.core.internal;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import java.util.List;

/**
 * A flow in the index: its announcement with an admin's constraints merged over it, and every text
 * a query or search compares, lower-cased once here rather than per request. Immutable; an
 * announcement or constraint change makes a new entry.
 */
public final class FlowEntry {
  final NodeEntry node;
  final FlowAnnouncement announcement;
  final Constraints constraints;
  final String path;
  final String pathLower;
  final String nameLower;
  final String descriptionLower;
  final String authorLower;
  final String organizationLower;
  final Semver release;
  final String releaseLower;
  final long published;
  final List<String> tags;
  final String[] tagsLower;
  final String notesLower;
  final boolean hidden;

  /** The paths of its node's flows made with it, shared by them all. */
  final FlowPaths paths;

  /** Its place in {@link #paths}. */
  final int place;

  /**
   * The lower-cased texts {@code search} looks at: name, description, author, organization, node,
   * tags.
   */
  final String[] searchFields;

  /** An entry standing alone: the only flow of its {@link #paths}. */
  FlowEntry(NodeEntry node, FlowAnnouncement a, Constraints c) {
    this(node, a, c, new FlowPaths(new String[] {a.path()}), 0);
  }

  /** An entry in place {@code place} of {@code paths}, whose path must be the one there. */
  FlowEntry(NodeEntry node, FlowAnnouncement a, Constraints c, FlowPaths paths, int place) {
    this.node = node;
    this.paths = paths;
    this.place = place;
    this.announcement = a;
    this.constraints = c;
    this.path = a.path();
    this.pathLower = Texts.lower(a.path());
    this.nameLower = Texts.lower(a.name());
    this.descriptionLower = Texts.lower(a.description());
    this.authorLower = Texts.lower(a.author());
    this.organizationLower = Texts.lower(a.organization());
    Semver release = Semver.parse(a.release());
    this.release = release == null ? Semver.parse("0.0.0") : release;
    this.releaseLower = Texts.lower(a.release());
    this.published = a.published() == null ? NodeState.NEVER : a.published().toEpochMilli();
    this.tags = c.tagsOver(a.tags());
    this.tagsLower = NodeState.lowerAll(tags);
    this.notesLower = Texts.lower(c.notes());
    this.hidden = c.hidden();
    String[] fields = new String[5 + tagsLower.length];
    fields[0] = nameLower;
    fields[1] = descriptionLower;
    fields[2] = authorLower;
    fields[3] = organizationLower;
    fields[4] = node.nameLower;
    System.arraycopy(tagsLower, 0, fields, 5, tagsLower.length);
    this.searchFields = fields;
  }

  /** This flow with other constraints, in the same place of the same paths. */
  FlowEntry constrained(Constraints c) {
    return new FlowEntry(node, announcement, c, paths, place);
  }

  boolean hidden(NodeState n) {
    return hidden || n.hidden;
  }
}
