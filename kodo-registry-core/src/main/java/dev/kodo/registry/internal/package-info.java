/**
 * The implementation of the registry core: the query language (lexer, parser, typed expression
 * tree), the copy-on-write index, and the JDBC store. Nothing here is API: use {@link
 * dev.kodo.registry.Registry}, {@link dev.kodo.registry.RegistryIndex}, {@link
 * dev.kodo.registry.RegistryStores} and {@link dev.kodo.registry.Query}.
 */
package dev.kodo.registry.internal;
