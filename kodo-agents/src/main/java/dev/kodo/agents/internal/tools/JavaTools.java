package dev.kodo.agents.internal.tools;

import dev.kodo.client.KodoException;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Java tools ({@code tools: {mine: {type: java, class: com.acme.MyTools}}}): the LangChain4j {@link
 * Tool @Tool} methods of a class the flow names, one {@link CrewTool} each. The class is loaded
 * from the flow's class loader and made once per run with its public no-argument constructor;
 * arguments are converted from the model's JSON by LangChain4j; whatever a method throws becomes
 * the error text the model reads.
 */
public final class JavaTools {
  private JavaTools() {}

  /**
   * The tools of {@code className}.
   *
   * @param definition the tool's name in the crew file, for messages
   * @throws KodoException if the class cannot be loaded or made, or has no {@code @Tool} method
   */
  public static List<CrewTool> load(String definition, String className, ClassLoader loader) {
    if (className == null || className.isBlank()) {
      throw new KodoException("tool '" + definition + "' (type java) names no class");
    }
    Class<?> type;
    try {
      type = Class.forName(className.strip(), true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new KodoException(
          "tool '"
              + definition
              + "': class "
              + className
              + " cannot be loaded ("
              + e
              + "); put its jar beside the crew or on the node's class path");
    }
    Object instance;
    try {
      if (!Modifier.isPublic(type.getModifiers())) {
        throw new NoSuchMethodException("class is not public");
      }
      instance = type.getConstructor().newInstance();
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new KodoException(
          "tool '"
              + definition
              + "': class "
              + className
              + " needs to be public with a public constructor without arguments");
    } catch (InvocationTargetException e) {
      throw new KodoException(
          "tool '" + definition + "': the constructor of " + className + " failed: " + e.getCause(),
          e.getCause());
    }
    List<Method> methods = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(Tool.class)) {
        methods.add(m);
      }
    }
    if (methods.isEmpty()) {
      throw new KodoException(
          "tool '"
              + definition
              + "': class "
              + className
              + " has no public method annotated with @dev.langchain4j.agent.tool.Tool");
    }
    methods.sort(Comparator.comparing(Method::getName));
    List<CrewTool> tools = new ArrayList<>();
    for (Method m : methods) {
      tools.add(new JavaTool(ToolSpecifications.toolSpecificationFrom(m), instance, m));
    }
    return tools;
  }

  private static final class JavaTool implements CrewTool {
    private final ToolSpecification spec;
    private final DefaultToolExecutor executor;
    private final AtomicLong ids = new AtomicLong();

    JavaTool(ToolSpecification spec, Object instance, Method method) {
      this.spec = spec;
      this.executor =
          DefaultToolExecutor.builder()
              .object(instance)
              .originalMethod(method)
              .methodToInvoke(method)
              .propagateToolExecutionExceptions(true)
              .wrapToolArgumentsExceptions(true)
              .build();
    }

    @Override
    public ToolSpecification specification() {
      return spec;
    }

    @Override
    public ToolOutcome call(String arguments, String agent) {
      ToolExecutionRequest request =
          ToolExecutionRequest.builder()
              .id("kodo-" + ids.incrementAndGet())
              .name(spec.name())
              .arguments(arguments == null || arguments.isBlank() ? "{}" : arguments)
              .build();
      try {
        String result = executor.execute(request, null);
        return ToolOutcome.ok(result == null ? "" : result);
      } catch (RuntimeException e) {
        Throwable t = e;
        // LangChain4j wraps what the method threw (ToolExecutionException) and bad arguments
        // (ToolArgumentsException); the model reads the innermost message.
        while (t.getCause() != null && t.getCause() != t) {
          t = t.getCause();
        }
        String message = t.getMessage();
        return ToolOutcome.failed(
            message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
      }
    }
  }
}
