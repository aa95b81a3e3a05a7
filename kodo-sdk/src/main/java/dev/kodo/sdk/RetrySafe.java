package dev.kodo.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Flow} class as safe to run again from the start: when the worker executing one of
 * its runs is lost (its process crashed or was cut off), the node puts the run back on the cluster
 * for another worker instead of ending it with {@code fatal} / {@code worker-lost}, at most {@code
 * kodo.node.retry-attempts} times; each attempt shows in the run's events as a {@code progress}
 * (docs/flows.md#retry-safe-flows).
 *
 * <p>Only mark a flow whose steps may happen twice without harm: a second attempt repeats
 * everything the first did before the worker was lost (model calls, tool calls, messages sent).
 *
 * <pre>{@code
 * @RetrySafe
 * public final class Summarise implements Flow { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RetrySafe {}
