package dev.kodo.agents.internal;

import dev.kodo.agents.ModelCallFailedException;
import dev.kodo.engine.EngineContext;
import dev.kodo.sdk.CancelledException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The observation, retry and kill policy shared by Kodo's observed models
 * (docs/flows.md#langchain4j-in-a-java-flow), for one model of one run:
 *
 * <ul>
 *   <li>one {@code action} event per answered call and one {@code action-error} per failed attempt
 *       ({@link AgentEvents});
 *   <li>429, 5xx and connection failures are tried again up to {@code maxRetries} times, after the
 *       provider's {@code Retry-After} (at most 60 s) or an exponential back-off with jitter;
 *       anything else fails at once; the last failure is a {@link ModelCallFailedException};
 *   <li>a kill frees the calling thread within {@link #POLL_MILLIS}: the call runs on a virtual
 *       thread that is interrupted (its HTTP exchange cancelled), back-off sleeps are cut short.
 * </ul>
 *
 * Thread-safe.
 */
final class ModelCalls {
  /** How often a waiting call looks whether the run was killed. */
  static final long POLL_MILLIS = 100;

  /** The back-off ceiling when the provider gives no {@code Retry-After}. */
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private final EngineContext ctx;
  private final AgentEvents events;
  private final String provider;
  private final String model;
  private final String agent;
  private final int maxRetries;
  private final String secret;
  private final PriceTable prices;
  private final long backoffMillis;

  /**
   * @param agent the agent named in the events, or null to take the one the agentic listener saw
   *     start on the calling thread
   * @param secret the API key, blotted out of every message (may be null)
   * @param backoffMillis the first back-off; it doubles with each attempt
   */
  ModelCalls(
      EngineContext ctx,
      String provider,
      String model,
      String agent,
      int maxRetries,
      String secret,
      PriceTable prices,
      long backoffMillis) {
    this.ctx = ctx;
    this.events = new AgentEvents(ctx);
    this.provider = provider;
    this.model = model;
    this.agent = agent;
    this.maxRetries = maxRetries;
    this.secret = secret;
    this.prices = prices;
    this.backoffMillis = backoffMillis;
  }

  EngineContext context() {
    return ctx;
  }

  String provider() {
    return provider;
  }

  /** The agent to name for a call made now on this thread. */
  String agent() {
    return agent != null ? agent : CurrentAgent.get();
  }

  /** Calls {@code call} with retries, observed; see the class comment. */
  ChatResponse call(Supplier<ChatResponse> call) {
    String who = agent();
    for (int attempt = 1; ; attempt++) {
      checkCancelled();
      long start = System.nanoTime();
      try {
        ChatResponse response = interruptibly(call);
        answered(response, who, start);
        return response;
      } catch (CancelledException e) {
        throw e;
      } catch (RuntimeException e) {
        if (cancelled()) {
          throw new CancelledException(ctx.fid());
        }
        long wait = failed(e, who, attempt);
        sleep(wait);
      }
    }
  }

  /**
   * Writes the {@code action-error} of a failed attempt and returns how long to wait before the
   * next one.
   *
   * @throws ModelCallFailedException if there is no next one
   */
  long failed(Throwable e, String who, int attempt) {
    return failed(e, who, attempt, true);
  }

  /** As {@link #failed(Throwable, String, int)}; {@code mayRetry} false: never tried again. */
  long failed(Throwable e, String who, int attempt, boolean mayRetry) {
    ModelFailure f = ModelFailure.of(e, secret);
    boolean again = mayRetry && f.retryable() && attempt <= maxRetries;
    Long wait = again ? delay(attempt, f.retryAfterMillis()) : null;
    events.modelCallFailed(provider, model, who, f.message(), attempt, wait);
    if (!again) {
      throw new ModelCallFailedException(provider, model, f.status(), attempt, f.message());
    }
    return wait;
  }

  /** Writes the {@code action} of an answered call. */
  void answered(ChatResponse response, String who, long startNanos) {
    long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    TokenUsage usage = response == null ? null : response.tokenUsage();
    long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    String answeredModel = response == null ? null : response.modelName();
    FinishReason reason = response == null ? null : response.finishReason();
    events.modelCall(
        new AgentEvents.ModelCall(
            provider,
            model != null ? model : answeredModel,
            who,
            in,
            out,
            latency,
            reason == null ? null : reason.name().toLowerCase(Locale.ROOT),
            prices.cost(model, answeredModel, in, out)));
  }

  /** The wait before attempt {@code attempt + 1}: the provider's wish, else back-off + jitter. */
  long delay(int attempt, Long retryAfterMillis) {
    if (retryAfterMillis != null) {
      return retryAfterMillis;
    }
    long ceiling = Math.min(MAX_BACKOFF_MILLIS, backoffMillis << Math.min(attempt - 1, 20));
    // "equal jitter": half fixed, half random, so retries of many runs spread out
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  boolean cancelled() {
    return ctx.cancelled();
  }

  /** Throws {@link CancelledException} if the run was killed or this thread interrupted. */
  void checkCancelled() {
    if (ctx.cancelled() || Thread.currentThread().isInterrupted()) {
      throw new CancelledException(ctx.fid());
    }
  }

  /** Sleeps {@code millis}, cut short by a kill (then throws {@link CancelledException}). */
  void sleep(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      checkCancelled();
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException(ctx.fid());
      }
    }
  }

  /**
   * Runs {@code call} on a virtual thread and waits for it, looking every {@link #POLL_MILLIS}
   * whether the run was killed; a kill or an interrupt interrupts the call (its HTTP exchange is
   * cancelled) and throws {@link CancelledException} at once.
   */
  private <T> T interruptibly(Supplier<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread worker =
        Thread.ofVirtual()
            .name("kodo-model-call-" + ctx.fid())
            .start(
                () -> {
                  try {
                    result.complete(call.get());
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                });
    while (true) {
      try {
        return result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (ctx.cancelled()) {
          worker.interrupt();
          throw new CancelledException(ctx.fid());
        }
      } catch (InterruptedException e) {
        worker.interrupt();
        Thread.currentThread().interrupt();
        throw new CancelledException(ctx.fid());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }
}
