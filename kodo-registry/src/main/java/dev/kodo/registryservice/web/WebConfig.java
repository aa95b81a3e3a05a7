package dev.kodo.registryservice.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.kodo.registry.Constraints;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** How the registry's HTTP layer treats what comes from outside: strict JSON, guarded requests, problem+json errors. */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new RequestGuard());
  }

  /**
   * Request bodies mean what they say: a field given twice is an error (not "the last one wins"),
   * and a number or boolean where a string belongs is an error (not silently turned into text).
   */
  @Bean
  JsonMapperBuilderCustomizer strictRequestBodies() {
    return builder -> builder
        .addMixIn(Constraints.class, ConstraintsJson.class)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /** Constraints as their fields only ({@code isNone()} is a helper, not data). */
  @JsonIgnoreProperties("none")
  private abstract static class ConstraintsJson {}

  /** Tomcat's own error answers as problem+json (see {@link ProblemReportValve}). */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports() {
    return factory -> factory.addContextCustomizers(ProblemReportValve::install);
  }
}
