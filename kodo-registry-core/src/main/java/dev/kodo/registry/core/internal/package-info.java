/**
 * The implementation of the registry core: the query language (lexer, parser, typed expression
 * tree), the copy-on-write index, and the JDBC store. Nothing here is API: use {@link
 * dev.kodo.registry.core.Registry}, {@link dev.kodo.registry.core.RegistryIndex}, {@link
 * dev.kodo.registry.core.RegistryStores} and {@link dev.kodo.registry.core.Query}.
 */
package dev.kodo.registry.core.internal;
