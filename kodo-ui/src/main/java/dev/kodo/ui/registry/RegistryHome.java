package dev.kodo.ui.registry;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** A registry alone has no flow catalogue at {@code /}: its home is the nodes page. */
@Controller
class RegistryHome {
  @GetMapping("/")
  String home() {
    return "redirect:/registry/";
  }
}
