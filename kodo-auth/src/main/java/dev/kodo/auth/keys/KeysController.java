package dev.kodo.auth.keys;

import dev.kodo.auth.Operators;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /auth/keys/rotate} (docs/security.md#keys-and-rotation): an operator makes a new
 * signing key current; the previous one stays in the JWKS for the access-token TTL.
 */
@RestController
class KeysController {
  private final SigningKeys keys;

  KeysController(SigningKeys keys) {
    this.keys = keys;
  }

  @PostMapping(path = "/auth/keys/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> rotate() {
    Operators.require();
    String kid = keys.rotate();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kid", kid);
    out.put("published", keys.published().stream().map(k -> k.getKeyID()).toList());
    return out;
  }
}
