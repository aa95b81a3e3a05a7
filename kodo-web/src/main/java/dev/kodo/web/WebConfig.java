package dev.kodo.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * The HTTP layer every Kodo service shares — strict JSON, guarded requests, body limits and
 * problem+json for every error, Tomcat's own included. A service imports it with
 * {@code @Import(WebConfig.class)}; {@code kodo.web.api-hint} says where its API is described (it
 * ends the detail of a 404).
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
public class WebConfig implements WebMvcConfigurer {
  private static volatile String apiHint = "";
  private final ObjectProvider<BrowserPages> pages;

  WebConfig(@Value("${kodo.web.api-hint:}") String hint, ObjectProvider<BrowserPages> pages) {
    apiHint = hint == null || hint.isBlank() ? "" : "; " + hint;
    this.pages = pages;
  }

  /** "; " + where the service's API is described, or nothing. */
  static String apiHint() {
    return apiHint;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new RequestGuard(pages));
  }

  /**
   * Request bodies mean what they say: a field given twice is an error (not "the last one wins"),
   * and a number or boolean where a string belongs is an error (not silently turned into text).
   */
  @Bean
  JsonMapperBuilderCustomizer strictRequestBodies() {
    return builder ->
        builder
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(
                LogicalType.Textual,
                c ->
                    c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /** Tomcat's own error answers as problem+json (see {@link ProblemReportValve}). */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports() {
    return factory -> factory.addContextCustomizers(ProblemReportValve::install);
  }
}
