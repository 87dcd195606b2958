package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module exports exactly its API plus the documented binding package; no jnr or FFM type leaks. */
class ModuleShapeTest {
  private static final Set<String> API = Set.of("dev.molt.vmm", "dev.molt.vmm.longmode");

  @Test
  void exportsExactlyTheApiAndTheUnqualifiedBindingPackage() {
    ModuleDescriptor descriptor = Kvm.class.getModule().getDescriptor();
    assertThat(descriptor.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).as(e.source()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(
            "dev.molt.vmm", "dev.molt.vmm.longmode", "dev.molt.vmm.internal.sys");
  }

  @Test
  void noPublicSignatureOfTheApiMentionsJnrOrForeignMemory() throws IOException, ClassNotFoundException {
    List<Class<?>> classes = apiClasses();
    assertThat(classes).as("API classes scanned").hasSizeGreaterThan(25);
    Set<String> leaks = new TreeSet<>();
    for (Class<?> type : classes) {
      if (!Modifier.isPublic(type.getModifiers())) {
        continue;
      }
      List<Type> mentioned = new ArrayList<>();
      if (type.getGenericSuperclass() != null) {
        mentioned.add(type.getGenericSuperclass());
      }
      mentioned.addAll(List.of(type.getGenericInterfaces()));
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
          mentioned.add(m.getGenericReturnType());
          mentioned.addAll(List.of(m.getGenericParameterTypes()));
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers())) {
          mentioned.addAll(List.of(c.getGenericParameterTypes()));
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          mentioned.add(f.getGenericType());
        }
      }
      for (Type t : mentioned) {
        for (String name : typeNames(t)) {
          if (name.startsWith("jnr.") || name.startsWith("java.lang.foreign.")) {
            leaks.add(type.getName() + " -> " + name);
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<String> typeNames(Type type) {
    List<String> names = new ArrayList<>();
    if (type instanceof Class<?> c) {
      names.add(c.isArray() ? c.getComponentType().getName() : c.getName());
    } else if (type instanceof ParameterizedType p) {
      names.addAll(typeNames(p.getRawType()));
      for (Type argument : p.getActualTypeArguments()) {
        names.addAll(typeNames(argument));
      }
    }
    return names;
  }

  private static List<Class<?>> apiClasses() throws IOException, ClassNotFoundException {
    ResolvedModule module =
        ModuleLayer.boot().configuration().findModule("dev.molt.vmm").orElseThrow();
    List<String> names;
    try (ModuleReader reader = module.reference().open();
        Stream<String> resources = reader.list()) {
      names =
          resources
              .filter(r -> r.endsWith(".class") && !r.endsWith("module-info.class"))
              .map(r -> r.substring(0, r.length() - ".class".length()).replace('/', '.'))
              .filter(n -> API.contains(n.substring(0, n.lastIndexOf('.'))))
              .filter(n -> !n.endsWith("Test") && !n.contains("Test$"))
              .collect(Collectors.toList());
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      classes.add(Class.forName(name, false, Kvm.class.getClassLoader()));
    }
    return classes;
  }
}
