package dev.kodo.auth;

import dev.kodo.web.WebConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The auth provider alone ({@code koco auth}; docs/security.md#auth-provider): users, groups,
 * grants, clients and signing keys behind {@code /auth/*}, OIDC discovery, JWKS and client
 * credentials. Everything it serves is {@link AuthModule}; {@link #start} runs it (port 3372 on
 * 127.0.0.1 by default); the tests use it too.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({WebConfig.class, AuthModule.class})
public class AuthApplication {

  /**
   * Starts a provider with Spring Boot arguments such as {@code --server.port=0} or {@code
   * --kodo.auth.provider.data=/tmp/x}.
   */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(AuthApplication.class);
    app.setAdditionalProfiles("kodo-auth");
    return app.run(args);
  }

  public static void main(String[] args) {
    start(args);
  }
}
