package dev.kodo.auth.clients;

import dev.kodo.auth.AuthLists;
import dev.kodo.auth.Operators;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredClient;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /auth/clients} (docs/http-api.md#auth): operators register the OAuth2 clients of nodes and
 * workers. The secret is generated, answered once at creation and stored hashed; a client's subject
 * is {@code {kind}:{client_id}}.
 */
@RestController
class ClientsController {
  private static final Set<String> CREATE = Set.of("client_id", "kind", "node");

  private final AuthStore store;
  private final PasswordEncoder passwords;
  private final SecureRandom random = new SecureRandom();

  ClientsController(AuthStore store, PasswordEncoder passwords) {
    this.store = store;
    this.passwords = passwords;
  }

  @PostMapping(path = "/auth/clients", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
    Operators.require();
    JsonBodies.object(body, CREATE);
    String id = JsonBodies.required(body, "client_id");
    if (!Subjects.validName(id)) {
      throw JsonBodies.field("client_id", "must be 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    String kind = JsonBodies.required(body, "kind");
    if (!kind.equals(StoredClient.NODE) && !kind.equals(StoredClient.WORKER)) {
      throw JsonBodies.field("kind", "must be node or worker");
    }
    String node = JsonBodies.string(body, "node");
    if (node != null && !Subjects.validName(node)) {
      throw JsonBodies.field("node", "must be a node name");
    }
    if (node == null && kind.equals(StoredClient.NODE)) node = id;
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    StoredClient client = new StoredClient(id, kind, node, System.currentTimeMillis());
    if (!store.addClient(client, passwords.encode(secret))) {
      throw new ApiException(
          HttpStatus.CONFLICT, "Conflict", "the client '" + id + "' exists already", null);
    }
    Map<String, Object> out = view(client);
    out.put("client_secret", secret); // the only time it is shown
    return ResponseEntity.status(HttpStatus.CREATED).body(out);
  }

  @GetMapping(path = "/auth/clients", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> list(
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String search) {
    Operators.require();
    return AuthLists.page(
        store.clients(), p, pp, search, StoredClient::clientId, ClientsController::view);
  }

  @GetMapping(path = "/auth/clients/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> get(@PathVariable String id) {
    Operators.require();
    return view(store.client(id).orElseThrow(() -> ApiException.notFound("client", id)));
  }

  @DeleteMapping("/auth/clients/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    Operators.require();
    if (!store.deleteClient(id)) throw ApiException.notFound("client", id);
    return ResponseEntity.noContent().build();
  }

  private static Map<String, Object> view(StoredClient c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("client_id", c.clientId());
    out.put("kind", c.kind());
    out.put("node", c.node());
    out.put("subject", c.subject());
    out.put("created", Instant.ofEpochMilli(c.created()).toString());
    return out;
  }
}
