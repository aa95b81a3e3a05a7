package dev.kodo.ui.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProviderRefusalTest {
  @Test
  void fieldErrorsAreKeyedByTheirFormControl() {
    ProviderRefusal r =
        ProviderRefusal.of(
            400,
            """
            {"type": "about:blank", "title": "Invalid request", "status": 400,
             "detail": "the field 'members' names unknown users: zed",
             "errors": [{"field": "members[1]", "message": "is not a user"},
                        {"field": "members[2]", "message": "second message"},
                        {"field": "name", "message": "must be 1-64 letters"}]}
            """);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.getMessage()).isEqualTo("the field 'members' names unknown users: zed");
    assertThat(r.fields())
        .containsEntry("members", "is not a user")
        .containsEntry("name", "must be 1-64 letters")
        .hasSize(2);
  }

  @Test
  void aConflictWithoutFieldsKeepsItsDetail() {
    ProviderRefusal r =
        ProviderRefusal.of(
            409, "{\"title\": \"Conflict\", \"detail\": \"the user 'alice' exists already\"}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.getMessage()).isEqualTo("the user 'alice' exists already");
    assertThat(r.fields()).isEmpty();
  }

  @Test
  void anAnswerThatIsNotAProblemStillSaysItsStatus() {
    ProviderRefusal r = ProviderRefusal.of(403, "<html>nope</html>");
    assertThat(r.getMessage()).isEqualTo("the auth provider answered 403");
    assertThat(r.fields()).isEmpty();
    assertThat(ProviderRefusal.of(404, null).getMessage()).contains("404");
  }

  @Test
  void controlNamesDropTheIndex() {
    assertThat(ProviderRefusal.control("roles[0]")).isEqualTo("roles");
    assertThat(ProviderRefusal.control("client_id")).isEqualTo("client_id");
  }
}
