package dev.kodo.ui.registry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the pages' header needs to know of the registry: that its pages exist ({@code registryUi}, a
 * "Registry" link), and whether this process is a registry alone ({@code registryAlone}: no node
 * pages to link to).
 */
@ControllerAdvice(basePackages = "dev.kodo.ui")
class RegistryNav {
  private final boolean alone;

  RegistryNav(ObjectProvider<RegistryUiAlone> alone) {
    this.alone = alone.getIfAvailable() != null;
  }

  @ModelAttribute("registryUi")
  boolean registryUi() {
    return true;
  }

  @ModelAttribute("registryAlone")
  boolean registryAlone() {
    return alone;
  }
}
