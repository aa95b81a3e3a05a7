package dev.kodo.engine;

import dev.kodo.client.KodoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a single-file Java flow in memory, against the running classpath, and loads its
 * top-level class.
 */
final class JavaSourceCompiler {
  private JavaSourceCompiler() {}

  static Class<?> compile(Path file, ClassLoader parent) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new KodoException(
          "compiling " + file + " needs a JDK, not a JRE: run koco with a JDK 21+");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    try (StandardJavaFileManager std =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      var fm =
          new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(
                Location l, String name, JavaFileObject.Kind k, FileObject s) {
              return new SimpleJavaFileObject(
                  URI.create("mem:///" + name.replace('.', '/') + k.extension), k) {
                @Override
                public OutputStream openOutputStream() {
                  return classes.computeIfAbsent(name, n -> new ByteArrayOutputStream());
                }
              };
            }
          };
      var units = std.getJavaFileObjects(file.toFile());
      List<String> options =
          List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-nowarn");
      boolean ok = compiler.getTask(null, fm, diagnostics, options, null, units).call();
      if (!ok) {
        String errors =
            diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(
                    d ->
                        file.getFileName()
                            + ":"
                            + d.getLineNumber()
                            + ":"
                            + d.getColumnNumber()
                            + ": "
                            + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        throw new KodoException("flow source " + file + " does not compile:\n" + errors);
      }
    } catch (IOException e) {
      throw new KodoException("cannot read flow source " + file + ": " + e.getMessage(), e);
    }
    String base = file.getFileName().toString().replaceFirst("\\.java$", "");
    String main =
        classes.keySet().stream()
            .filter(n -> n.equals(base) || n.endsWith("." + base))
            .findFirst()
            .orElseThrow(
                () ->
                    new KodoException("flow source " + file + " declares no class named " + base));
    ClassLoader loader =
        new ClassLoader(parent) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream bytes = classes.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            byte[] b = bytes.toByteArray();
            return defineClass(name, b, 0, b.length);
          }
        };
    try {
      return loader.loadClass(main);
    } catch (ClassNotFoundException e) {
      throw new KodoException("cannot load " + main + " compiled from " + file, e);
    }
  }
}
