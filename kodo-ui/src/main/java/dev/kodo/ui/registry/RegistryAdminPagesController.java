package dev.kodo.ui.registry;

import dev.kodo.client.Constraints;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.InvalidRequestException;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.UnknownNodeException;
import dev.kodo.registry.federation.PeerAdmin;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The registry's page for operators at {@code /registry/ui/admin} (docs/ui.md#registry-pages):
 * register and unregister nodes, set a node's tags, hidden flag and notes, add and remove peers.
 * Every request is checked by the registry's own rules ({@link RegistryAccess}: operators only, a
 * 403 page for anyone else, also for a forged post) and acts through the same registry calls as the
 * API ({@code /registry/register}, {@code PUT /registry/nodes/{node}}, {@link PeerAdmin}). A
 * refused value shows its reason on the page (422), the rest of the page as it was.
 */
@Controller
class RegistryAdminPagesController {
  private final Registry registry;
  private final PeerAdmin peers;

  RegistryAdminPagesController(Registry registry, PeerAdmin peers) {
    this.registry = registry;
    this.peers = peers;
  }

  @GetMapping("/registry/ui/admin")
  String page(Model model) {
    RegistryAccess.operator("administer the registry");
    return page(model, null);
  }

  @PostMapping("/registry/ui/register")
  String register(
      @RequestParam(defaultValue = "") String node,
      RedirectAttributes done,
      HttpServletResponse response,
      Model model) {
    RegistryAccess.operator("register nodes");
    return act(
        () -> "Registered node " + registry.register(node.strip()).name() + ".",
        done,
        response,
        model);
  }

  @PostMapping("/registry/ui/nodes/{node}/unregister")
  String unregister(
      @PathVariable String node,
      RedirectAttributes done,
      HttpServletResponse response,
      Model model) {
    RegistryAccess.operator("unregister nodes");
    return act(
        () -> {
          if (!registry.unregister(node)) throw ApiException.notFound("node", node);
          return "Unregistered node " + node + ".";
        },
        done,
        response,
        model);
  }

  @PostMapping("/registry/ui/nodes/{node}/constraints")
  String constrain(
      @PathVariable String node,
      @RequestParam(defaultValue = "") String tags,
      @RequestParam(defaultValue = "false") boolean hidden,
      @RequestParam(defaultValue = "") String notes,
      RedirectAttributes done,
      HttpServletResponse response,
      Model model) {
    RegistryAccess.operator("set constraints on nodes");
    return act(
        () -> {
          registry.constrainNode(node, Checks.constraints(constraints(tags, hidden, notes)));
          return "Saved node " + node + (hidden ? " (hidden)." : ".");
        },
        done,
        response,
        model);
  }

  @PostMapping("/registry/ui/peers")
  String addPeer(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String url,
      @RequestParam(defaultValue = "") String role,
      RedirectAttributes done,
      HttpServletResponse response,
      Model model) {
    RegistryAccess.operator("add peers");
    return act(
        () ->
            "Added peer "
                + peers.add(name.strip(), url.isBlank() ? null : url.strip(), role).peer().name()
                + ".",
        done,
        response,
        model);
  }

  @PostMapping("/registry/ui/peers/{name}/remove")
  String removePeer(
      @PathVariable String name,
      RedirectAttributes done,
      HttpServletResponse response,
      Model model) {
    RegistryAccess.operator("remove peers");
    return act(
        () -> {
          peers.remove(name);
          return "Removed peer " + name + ".";
        },
        done,
        response,
        model);
  }

  /**
   * The tags typed as a comma-separated list (none typed: the node's own tags show), the notes if
   * any.
   */
  static Constraints constraints(String tags, boolean hidden, String notes) {
    List<String> list =
        tags.isBlank()
            ? null
            : Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    return new Constraints(list, hidden, notes.isBlank() ? null : notes.strip());
  }

  private String act(
      Supplier<String> action, RedirectAttributes done, HttpServletResponse response, Model model) {
    try {
      done.addFlashAttribute("done", action.get());
      return "redirect:/registry/ui/admin";
    } catch (InvalidRequestException e) {
      response.setStatus(422);
      return page(model, e.getMessage());
    } catch (UnknownNodeException e) {
      response.setStatus(404);
      return page(model, e.getMessage());
    } catch (ApiException e) {
      if (e.status() == HttpStatus.FORBIDDEN) throw e;
      response.setStatus(e.status().value());
      return page(model, e.getMessage());
    }
  }

  private String page(Model model, String error) {
    Instant now = Instant.now();
    model.addAttribute(
        "rows",
        RegistryPagesController.rows(
            registry,
            registry.index().nodes(ListRequest.all().includingHidden(true)).items(),
            now));
    model.addAttribute("peers", peers.list());
    model.addAttribute("error", error);
    model.addAttribute("registryName", registry.name());
    return "ui/registry/admin";
  }
}
