package dev.kodo.auth.users;

import dev.kodo.auth.AuthLists;
import dev.kodo.auth.Operators;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredUser;
import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import dev.kodo.web.security.Callers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
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
 * {@code /auth/users} (docs/http-api.md#auth): operators add, list, change and remove people; a
 * user changes its own password with the old one. Answers never hold a password or its hash.
 */
@RestController
class UsersController {
  private static final Set<String> CREATE = Set.of("username", "password", "roles", "groups");
  private static final Set<String> UPDATE = Set.of("password", "roles", "groups");
  private static final Set<String> PASSWORD = Set.of("old", "new");

  /** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
  static final int MAX_PASSWORD_BYTES = 72;

  static final int MIN_PASSWORD_LENGTH = 8;

  private final AuthStore store;
  private final PasswordEncoder passwords;

  UsersController(AuthStore store, PasswordEncoder passwords) {
    this.store = store;
    this.passwords = passwords;
  }

  @PostMapping(path = "/auth/users", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, CREATE);
    String username = name(JsonBodies.required(body, "username"), "username");
    String password = password(JsonBodies.required(body, "password"), "password");
    Set<Role> roles = roles(JsonBodies.strings(body, "roles"));
    List<String> groups = groups(JsonBodies.strings(body, "groups"));
    if (!store.addUser(username, passwords.encode(password), roles, groups)) {
      throw new ApiException(
          HttpStatus.CONFLICT, "Conflict", "the user '" + username + "' exists already", null);
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(view(found(username)));
  }

  @GetMapping(path = "/auth/users", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> list(
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String search) {
    Operators.require();
    return AuthLists.page(
        store.users(), p, pp, search, StoredUser::username, UsersController::view);
  }

  @GetMapping(path = "/auth/users/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> get(@PathVariable String username) {
    Operators.require();
    return view(found(username));
  }

  @PutMapping(path = "/auth/users/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> update(@PathVariable String username, @RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, UPDATE);
    String password = JsonBodies.string(body, "password");
    String hash = password == null ? null : passwords.encode(password(password, "password"));
    List<String> rawRoles = JsonBodies.strings(body, "roles");
    Set<Role> roles = rawRoles == null ? null : roles(rawRoles);
    List<String> rawGroups = JsonBodies.strings(body, "groups");
    List<String> groups = rawGroups == null ? null : groups(rawGroups);
    if (!store.updateUser(username, null, roles, groups)) {
      throw ApiException.notFound("user", username);
    }
    if (hash != null) store.setPassword(username, hash); // drops its refresh tokens
    return view(found(username));
  }

  @DeleteMapping("/auth/users/{username}")
  ResponseEntity<Void> delete(@PathVariable String username) {
    Caller c = Operators.require();
    if (c.subject().equals(Subjects.user(username))) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "Conflict",
          "an operator cannot delete its own user; another operator can",
          null);
    }
    if (!store.deleteUser(username)) throw ApiException.notFound("user", username);
    return ResponseEntity.noContent().build();
  }

  @PutMapping(path = "/auth/users/{username}/password")
  ResponseEntity<Void> password(@PathVariable String username, @RequestBody JsonNode body) {
    Caller c = Callers.current();
    boolean self = c.subject().equals(Subjects.user(username));
    if (!self && !c.operator()) {
      throw Operators.forbidden("only the user itself or an operator changes a password");
    }
    JsonBodies.object(body, PASSWORD);
    String fresh = password(JsonBodies.required(body, "new"), "new");
    Optional<String> hash = store.passwordHash(username);
    if (hash.isEmpty()) throw ApiException.notFound("user", username);
    if (!c.operator()) {
      String old = JsonBodies.required(body, "old");
      if (!passwords.matches(old, hash.get())) {
        throw Operators.forbidden("the old password is wrong");
      }
    }
    store.setPassword(username, passwords.encode(fresh));
    return ResponseEntity.noContent().build();
  }

  private StoredUser found(String username) {
    return store.user(username).orElseThrow(() -> ApiException.notFound("user", username));
  }

  static Map<String, Object> view(StoredUser u) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("username", u.username());
    out.put("subject", Subjects.user(u.username()));
    out.put("roles", u.roles().stream().map(Role::wire).sorted().toList());
    out.put("groups", u.groups());
    out.put("created", Instant.ofEpochMilli(u.created()).toString());
    return out;
  }

  static String name(String name, String field) {
    if (!Subjects.validName(name)) {
      throw JsonBodies.field(field, "must be 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    return name;
  }

  private static String password(String password, String field) {
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw JsonBodies.field(field, "must be at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw JsonBodies.field(field, "must be at most " + MAX_PASSWORD_BYTES + " bytes");
    }
    return password;
  }

  private static Set<Role> roles(List<String> raw) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (raw == null || raw.isEmpty()) {
      roles.add(Role.USER);
      return roles;
    }
    for (int i = 0; i < raw.size(); i++) {
      try {
        roles.add(Role.parse(raw.get(i)));
      } catch (IllegalArgumentException e) {
        throw JsonBodies.field("roles[" + i + "]", "must be operator, developer or user");
      }
    }
    return roles;
  }

  private static List<String> groups(List<String> raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) return out;
    for (int i = 0; i < raw.size(); i++) out.add(name(raw.get(i), "groups[" + i + "]"));
    return out;
  }
}
