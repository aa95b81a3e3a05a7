/**
 * The JDBC implementation of {@link dev.kodo.store.EventStore} shared by the SQLite and PostgreSQL
 * backends. Nothing here is API: open a store with {@link dev.kodo.store.EventStores#open}.
 */
package dev.kodo.store.internal;
