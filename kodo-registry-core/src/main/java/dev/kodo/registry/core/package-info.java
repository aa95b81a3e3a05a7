/**
 * The registry of Kodo without its HTTP layer (docs/architecture.md#the-registry): the directory of
 * nodes and the flows they offer, their liveness, admins' constraints, federation records, and
 * browsing with {@code search}, {@code query}, {@code by} and paging.
 *
 * <p>Start at {@link dev.kodo.registry.core.Registry} (index + store); {@link
 * dev.kodo.registry.core.RegistryIndex} alone is the in-memory directory; {@link
 * dev.kodo.registry.core.Query} is the filter language; {@link
 * dev.kodo.registry.core.Announcements} checks what nodes announce. Bad input from outside raises
 * {@link dev.kodo.registry.core.InvalidRequestException} (400, naming the parameter; {@link
 * dev.kodo.registry.core.QuerySyntaxException} adds the column), an unregistered node {@link
 * dev.kodo.registry.core.UnknownNodeException} (403 on connect, else 404).
 */
package dev.kodo.registry.core;
