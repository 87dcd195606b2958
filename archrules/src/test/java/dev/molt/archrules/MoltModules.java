package dev.molt.archrules;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Molt's modules as they are on this test's class path: every {@code module-info.class} whose
 * module is named {@code dev.molt.*} marks the root of one module's classes, a reactor {@code
 * target/classes} directory or a jar. Knowing which module each location holds lets the
 * self-check import exactly Molt's main classes, attribute each class to its module and read the
 * qualified exports that make a module a friend of another's internal package.
 */
final class MoltModules {

  private static final String MODULE_INFO = "module-info.class";

  /** One Molt module: its descriptor and the root of its class files. */
  record Module(ModuleDescriptor descriptor, URI root) {
    String name() {
      return descriptor.name();
    }

    boolean holds(JavaClass type) {
      return type.getSource().map(Source::getUri).map(this::isUnderRoot).orElse(false);
    }

    private boolean isUnderRoot(URI uri) {
      // ArchUnit spells directory sources file:///..., the class loader file:/...: compare paths.
      if (root.getScheme().equals("file")) {
        return uri.getScheme().equals("file") && Path.of(uri).startsWith(Path.of(root));
      }
      return uri.toString().startsWith(root.toString());
    }

    /** Class files at this root, module-info.class excluded, counted without ArchUnit. */
    long classFileCount() {
      try {
        if (root.getScheme().equals("jar")) {
          String path = root.getSchemeSpecificPart();
          String jar = URI.create(path.substring(0, path.indexOf("!/"))).getPath();
          try (JarFile file = new JarFile(jar)) {
            return file.stream()
                .map(entry -> entry.getName())
                .filter(MoltModules::isCountedClass)
                .count();
          }
        }
        try (Stream<Path> files = Files.walk(Path.of(root))) {
          return files.map(p -> Path.of(root).relativize(p).toString())
              .filter(MoltModules::isCountedClass)
              .count();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot count the class files of " + name() + " at " + root, e);
      }
    }
  }

  private final List<Module> modules;

  private MoltModules(List<Module> modules) {
    this.modules = List.copyOf(modules);
  }

  static MoltModules of(List<Module> modules) {
    return new MoltModules(modules);
  }

  static MoltModules onClassPathOf(ClassLoader loader) {
    List<Module> found = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources(MODULE_INFO))) {
        ModuleDescriptor descriptor;
        try (InputStream in = url.openStream()) {
          descriptor = ModuleDescriptor.read(in);
        }
        if (descriptor.name().startsWith("dev.molt.")) {
          String location = url.toString();
          URI root = URI.create(location.substring(0, location.length() - MODULE_INFO.length()));
          found.add(new Module(descriptor, root));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the module descriptors on the class path", e);
    }
    return new MoltModules(found);
  }

  List<Module> modules() {
    return modules;
  }

  /** Module name to the roots it was found at (more than one root means a duplicate). */
  Map<String, List<URI>> rootsByName() {
    return modules.stream()
        .collect(
            Collectors.groupingBy(
                Module::name,
                TreeMap::new,
                Collectors.mapping(Module::root, Collectors.toList())));
  }

  /** The names among {@code expected} that no module on the class path has. */
  Set<String> missing(Set<String> expected) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(rootsByName().keySet());
    return missing;
  }

  /** Every class of every module, main classes only (the roots hold no test classes). */
  JavaClasses importClasses() {
    Set<Location> locations =
        modules.stream().map(m -> Location.of(m.root())).collect(Collectors.toSet());
    return new ClassFileImporter().importLocations(locations);
  }

  /**
   * Internal packages exported by name (qualified exports whose package has an {@code internal}
   * segment), to the modules they are exported to; by Molt's convention a module's name is its
   * root package.
   */
  Map<String, Set<String>> qualifiedInternalExports() {
    Map<String, Set<String>> exports = new TreeMap<>();
    for (Module module : modules) {
      for (ModuleDescriptor.Exports export : module.descriptor().exports()) {
        if (export.isQualified() && List.of(export.source().split("\\.")).contains("internal")) {
          exports.put(export.source(), Set.copyOf(export.targets()));
        }
      }
    }
    return exports;
  }

  private static boolean isCountedClass(String relativePath) {
    return relativePath.endsWith(".class")
        && !relativePath.endsWith(MODULE_INFO)
        && !relativePath.startsWith("META-INF/");
  }
}
