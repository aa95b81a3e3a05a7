package dev.kodo.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/**
 * {@code koco auth rotate-key}: asks an auth provider for a new signing key ({@code POST
 * /auth/keys/rotate}, operators only; docs/security.md#keys-and-rotation). The old key stays in the
 * JWKS for the access-token TTL, so tokens it signed keep working until they expire. The token is
 * found as for every client command: {@code --token}, {@code $KODO_TOKEN}, or the one kept for the
 * provider's URL (the local operator's, on the machine that runs it).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "rotate-key",
    description =
        "Make the auth provider sign with a new key; the old one stays published until its tokens"
            + " expire. Operators only.")
final class RotateKeyCommand extends ProviderCommand {
  @Override
  public Integer call() {
    JsonNode body = auth().rotateKey();
    out()
        .println(
            "new signing key "
                + body.path("kid").asString("?")
                + " at "
                + auth().url()
                + "; the previous key stays published until the tokens it signed expire");
    return Exit.OK;
  }
}
