package dev.kodo.auth.grants;

import dev.kodo.auth.AuthLists;
import dev.kodo.auth.Operators;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredUser;
import dev.kodo.client.Level;
import dev.kodo.client.access.Access;
import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Mode;
import dev.kodo.client.access.Resources;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import dev.kodo.web.security.Callers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /auth/grants} and {@code /auth/check} (docs/http-api.md#auth): operators give and take
 * grants; operators and node clients list them (a node reads them to decide locally); {@code check}
 * answers what a subject may do on a resource, by the same rule the nodes apply ({@link Access}).
 */
@RestController
class GrantsController {
  private static final Set<String> CREATE = Set.of("subject", "resource", "mode", "level");
  private static final Set<String> CHECK = Set.of("subject", "resource", "action");

  private final AuthStore store;

  GrantsController(AuthStore store) {
    this.store = store;
  }

  @PostMapping(path = "/auth/grants", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, CREATE);
    String subject = JsonBodies.required(body, "subject");
    String problem = Subjects.problem(subject);
    if (problem != null) throw JsonBodies.field("subject", problem);
    String resource = JsonBodies.required(body, "resource");
    problem = Resources.problem(resource);
    if (problem != null) throw JsonBodies.field("resource", problem);
    Mode mode = mode(JsonBodies.required(body, "mode"), "mode");
    String rawLevel = JsonBodies.string(body, "level");
    Level level;
    if (rawLevel == null) {
      if (resource.startsWith(Resources.FLOW)) {
        throw JsonBodies.field("level", "is required for a flow: basic, advanced or full");
      }
      level = Level.FULL;
    } else {
      level = level(rawLevel);
    }
    Grant g =
        new Grant(
            UUID.randomUUID().toString(),
            subject,
            resource,
            mode.wire(),
            level.name().toLowerCase(Locale.ROOT));
    if (!store.addGrant(g)) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "Conflict",
          "'"
              + ApiException.shorten(subject)
              + "' already holds a grant in mode "
              + mode.wire()
              + " on '"
              + ApiException.shorten(resource)
              + "'; delete it first",
          null);
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(view(g));
  }

  @GetMapping(path = "/auth/grants", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> list(
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String resource,
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp) {
    Caller c = Callers.current();
    if (!c.operator() && c.nodeClient() == null) {
      throw Operators.forbidden("only operators and node clients read grants");
    }
    List<Grant> all =
        store.grants().stream()
            .filter(g -> subject == null || subject.isEmpty() || g.subject().equals(subject))
            .filter(
                g ->
                    resource == null
                        || resource.isEmpty()
                        || g.resource().equals(resource)
                        || Resources.matches(g.resource(), resource))
            .toList();
    return AuthLists.page(all, p, pp, null, Grant::subject, GrantsController::view);
  }

  @DeleteMapping("/auth/grants/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    Operators.require();
    if (!store.deleteGrant(id)) throw ApiException.notFound("grant", id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping(path = "/auth/check", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> check(@RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, CHECK);
    String subject = JsonBodies.required(body, "subject");
    String problem = Subjects.problem(subject);
    if (problem != null) throw JsonBodies.field("subject", problem);
    String resource = JsonBodies.required(body, "resource");
    problem = Resources.problem(resource);
    if (problem != null) throw JsonBodies.field("resource", problem);
    Mode mode = mode(JsonBodies.required(body, "action"), "action");
    Optional<Level> level =
        caller(subject).flatMap(c -> Access.level(c, store.grants(), resource, mode));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("allowed", level.isPresent());
    out.put("level", level.map(l -> l.name().toLowerCase(Locale.ROOT)).orElse(null));
    return out;
  }

  /**
   * The caller a subject would be: a user with its roles and groups; a group or client as itself.
   */
  private Optional<Caller> caller(String subject) {
    if (subject.startsWith(Subjects.USER)) {
      Optional<StoredUser> u = store.user(subject.substring(Subjects.USER.length()));
      return u.map(user -> new Caller(subject, user.roles(), Set.copyOf(user.groups())));
    }
    return Optional.of(new Caller(subject, Set.of(), Set.of()));
  }

  private static Mode mode(String raw, String field) {
    try {
      return Mode.parse(raw);
    } catch (IllegalArgumentException e) {
      throw JsonBodies.field(field, "must be r or x");
    }
  }

  private static Level level(String raw) {
    try {
      return Level.valueOf(raw.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw JsonBodies.field("level", "must be basic, advanced or full");
    }
  }

  private static Map<String, Object> view(Grant g) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", g.id());
    out.put("subject", g.subject());
    out.put("resource", g.resource());
    out.put("mode", g.mode());
    out.put("level", g.level());
    return out;
  }
}
