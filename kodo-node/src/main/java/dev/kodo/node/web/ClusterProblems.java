package dev.kodo.node.web;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import dev.kodo.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The cluster's "not now" as 503 problem+json: the node's Hazelcast member is stopping (a request
 * that arrives during shutdown), or an operation ran out of time or must be retried (a member
 * joining or leaving). Everything else is answered by the shared {@code dev.kodo.web} layer, which
 * runs after this.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ClusterProblems {
  private static final Logger log = LoggerFactory.getLogger(ClusterProblems.class);

  @ExceptionHandler({
    HazelcastInstanceNotActiveException.class,
    OperationTimeoutException.class,
    RetryableHazelcastException.class
  })
  ResponseEntity<ProblemDetail> notNow(RuntimeException e) {
    log.warn("request refused for now: the cluster answered {}", e.toString());
    return Problems.unavailable();
  }
}
