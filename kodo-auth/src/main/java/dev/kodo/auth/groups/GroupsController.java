package dev.kodo.auth.groups;

import dev.kodo.auth.AuthLists;
import dev.kodo.auth.Operators;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredGroup;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /auth/groups} (docs/http-api.md#auth): operators add, list, change and remove groups of
 * users; a grant to {@code group:{name}} applies to each member. Members must be known users.
 */
@RestController
class GroupsController {
  private static final Set<String> CREATE = Set.of("name", "members");
  private static final Set<String> UPDATE = Set.of("members");

  private final AuthStore store;

  GroupsController(AuthStore store) {
    this.store = store;
  }

  @PostMapping(path = "/auth/groups", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, CREATE);
    String name = JsonBodies.required(body, "name");
    if (!Subjects.validName(name)) {
      throw JsonBodies.field("name", "must be 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    List<String> members = members(JsonBodies.strings(body, "members"));
    if (!store.addGroup(name, members)) {
      throw new ApiException(
          HttpStatus.CONFLICT, "Conflict", "the group '" + name + "' exists already", null);
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(view(found(name)));
  }

  @GetMapping(path = "/auth/groups", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> list(
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String search) {
    Operators.require();
    return AuthLists.page(store.groups(), p, pp, search, StoredGroup::name, GroupsController::view);
  }

  @GetMapping(path = "/auth/groups/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> get(@PathVariable String name) {
    Operators.require();
    return view(found(name));
  }

  @PutMapping(path = "/auth/groups/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> update(@PathVariable String name, @RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, UPDATE);
    List<String> raw = JsonBodies.strings(body, "members");
    if (raw == null) throw JsonBodies.field("members", "is required");
    if (!store.setGroupMembers(name, members(raw))) throw ApiException.notFound("group", name);
    return view(found(name));
  }

  @DeleteMapping("/auth/groups/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) {
    Operators.require();
    if (!store.deleteGroup(name)) throw ApiException.notFound("group", name);
    return ResponseEntity.noContent().build();
  }

  private StoredGroup found(String name) {
    return store.group(name).orElseThrow(() -> ApiException.notFound("group", name));
  }

  private List<String> members(List<String> raw) {
    if (raw == null) return List.of();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      if (!Subjects.validName(raw.get(i))) {
        throw JsonBodies.field("members[" + i + "]", "must be a user name");
      }
    }
    List<String> unknown = store.unknownUsers(raw);
    for (String u : unknown) {
      errors.add(new FieldError("members[" + raw.indexOf(u) + "]", "is not a user"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(
          "the field 'members' names unknown users: "
              + ApiException.shorten(String.join(", ", unknown)),
          errors);
    }
    return raw;
  }

  private static Map<String, Object> view(StoredGroup g) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", g.name());
    out.put("subject", Subjects.group(g.name()));
    out.put("members", g.members());
    out.put("created", Instant.ofEpochMilli(g.created()).toString());
    return out;
  }
}
