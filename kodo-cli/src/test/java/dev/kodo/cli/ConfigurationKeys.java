package dev.kodo.cli;

import java.beans.PropertyDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;

/**
 * Every {@code kodo.*} configuration key the code on the class path reads, found by reflection: the
 * bean properties of each {@code @ConfigurationProperties} class under {@code dev.kodo} (nested
 * groups walked), each {@code @Value("${kodo.…}")} on a constructor or method parameter or a field,
 * and each {@code @ConditionalOnProperty} naming a {@code kodo.} key. A test helper for {@link
 * ConfigurationDocTest}; not thread-safe.
 */
final class ConfigurationKeys {
  private static final String BASE = "dev.kodo";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{(kodo\\.[a-z0-9.-]+)(?::([^}]*))?}");

  /**
   * A key the code reads.
   *
   * @param type the type it binds to
   * @param defaultValue its default in the code: the value a fresh properties object holds, or the
   *     text after {@code :} in a {@code @Value}; null when it has none
   * @param source where it was found, for messages
   */
  record Key(String name, TypeDescriptor type, Object defaultValue, String source) {}

  private final Map<String, Key> keys = new TreeMap<>();
  private final List<String> unreadable = new ArrayList<>();

  /** Collects the keys of every class under {@code dev.kodo} on the class path. */
  static ConfigurationKeys scan() {
    ConfigurationKeys found = new ConfigurationKeys();
    for (Class<?> type : classes()) {
      try {
        ConfigurationProperties props = type.getAnnotation(ConfigurationProperties.class);
        if (props != null) {
          String prefix = props.prefix().isEmpty() ? props.value() : props.prefix();
          found.walk(prefix, type, BeanUtils.instantiateClass(type), type.getSimpleName());
        }
        found.annotations(type, type);
        for (var c : type.getDeclaredConstructors()) found.parameters(type, c);
        for (var m : type.getDeclaredMethods()) {
          found.annotations(type, m);
          found.parameters(type, m);
        }
        for (var f : type.getDeclaredFields())
          found.value(type, f, f.getAnnotation(Value.class), new TypeDescriptor(f));
      } catch (LinkageError e) {
        found.unreadable.add(type.getName() + ": " + e);
      }
    }
    return found;
  }

  Map<String, Key> keys() {
    return keys;
  }

  /** Classes whose members could not be read (a type missing from the class path). */
  List<String> unreadable() {
    return unreadable;
  }

  private static List<Class<?>> classes() {
    var scanner =
        new ClassPathScanningCandidateComponentProvider(false) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            return true; // nested, abstract and package-private classes read configuration too
          }
        };
    scanner.addIncludeFilter((reader, factory) -> true);
    List<Class<?>> out = new ArrayList<>();
    ClassLoader loader = ConfigurationKeys.class.getClassLoader();
    for (BeanDefinition d : scanner.findCandidateComponents(BASE)) {
      try {
        out.add(ClassUtils.forName(d.getBeanClassName(), loader));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new AssertionError("cannot load " + d.getBeanClassName() + ": " + e, e);
      }
    }
    return out;
  }

  /** A properties object's bean properties: leaves are keys, Kodo types are nested groups. */
  private void walk(String prefix, Class<?> type, Object instance, String source) {
    for (PropertyDescriptor p : BeanUtils.getPropertyDescriptors(type)) {
      Method getter = p.getReadMethod();
      if (getter == null || getter.getDeclaringClass() == Object.class) continue;
      String key = prefix + "." + kebab(p.getName());
      Object value = invoke(getter, instance);
      Class<?> t = p.getPropertyType();
      if (!t.isEnum() && t.getName().startsWith(BASE + ".")) {
        walk(key, t, value, source);
      } else if (p.getWriteMethod() != null) {
        add(new Key(key, new TypeDescriptor(new MethodParameter(getter, -1)), value, source));
      }
    }
  }

  private void parameters(Class<?> type, Executable e) {
    for (int i = 0; i < e.getParameterCount(); i++) {
      Parameter p = e.getParameters()[i];
      value(
          type,
          p,
          p.getAnnotation(Value.class),
          new TypeDescriptor(MethodParameter.forExecutable(e, i)));
    }
  }

  private void value(Class<?> owner, AnnotatedElement where, Value v, TypeDescriptor type) {
    if (v == null) return;
    Matcher m = PLACEHOLDER.matcher(v.value());
    while (m.find()) {
      add(
          new Key(
              m.group(1), type, m.group(2), owner.getSimpleName() + " (@Value on " + where + ")"));
    }
  }

  private void annotations(Class<?> owner, AnnotatedElement where) {
    for (Annotation a : where.getAnnotations()) {
      if (a instanceof ConditionalOnProperty c) {
        String prefix = c.prefix().isEmpty() ? "" : c.prefix() + ".";
        for (String name : c.name().length > 0 ? c.name() : c.value()) {
          String key = prefix + name;
          if (key.startsWith("kodo.")) {
            add(
                new Key(
                    key,
                    TypeDescriptor.valueOf(String.class),
                    null,
                    owner.getSimpleName() + " (@ConditionalOnProperty)"));
          }
        }
      }
    }
  }

  /**
   * The first finding of a key wins, except that a typed default from a properties class beats a
   * bare mention.
   */
  private void add(Key k) {
    keys.merge(
        k.name(),
        k,
        (old, now) -> old.defaultValue() == null && now.defaultValue() != null ? now : old);
  }

  private static Object invoke(Method getter, Object instance) {
    try {
      getter.setAccessible(true);
      return getter.invoke(instance);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read " + getter + ": " + e, e);
    }
  }

  /** {@code registryHeartbeat} → {@code registry-heartbeat}, the form configuration files use. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
