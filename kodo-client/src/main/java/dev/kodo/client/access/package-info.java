/**
 * The permission model every Kodo service applies (docs/security.md): subjects, roles, resources
 * with {@code *}, grants with a mode ({@code r}/{@code x}) and a level, the caller a request acts
 * for, and the one function that decides what a caller may do with a resource. Pure Java: the auth
 * provider stores grants, node and registry decide with them, {@code koco} shows them.
 */
package dev.kodo.client.access;
