package dev.molt.archrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the self-check reads module descriptors: friends, missing modules, duplicates. */
class MoltModulesTest {

  private static final ModuleDescriptor VMM =
      ModuleDescriptor.newModule("dev.molt.vmm")
          .exports("dev.molt.vmm")
          .exports("dev.molt.vmm.internal.sys")
          .exports(Set.of(), "dev.molt.vmm.internal.memory", Set.of("dev.molt.states"))
          .exports(Set.of(), "dev.molt.vmm.spi", Set.of("dev.molt.states"))
          .build();
  private static final ModuleDescriptor API =
      ModuleDescriptor.newModule("dev.molt.api").exports("dev.molt.api").build();

  @Test
  void onlyInternalPackagesExportedByNameMakeFriends() {
    MoltModules modules = MoltModules.of(List.of(module(VMM, "vmm"), module(API, "api")));
    assertThat(modules.qualifiedInternalExports())
        .isEqualTo(Map.of("dev.molt.vmm.internal.memory", Set.of("dev.molt.states")));
  }

  @Test
  void missingNamesTheExpectedModulesThatAreAbsent() {
    MoltModules modules = MoltModules.of(List.of(module(API, "api")));
    assertThat(modules.missing(Set.of("dev.molt.api", "dev.molt.vmm", "dev.molt.states")))
        .containsExactly("dev.molt.states", "dev.molt.vmm");
  }

  @Test
  void rootsByNameRevealsAModuleFoundTwice() {
    MoltModules modules =
        MoltModules.of(List.of(module(API, "api"), module(API, "stale-api"), module(VMM, "vmm")));
    assertThat(modules.rootsByName())
        .containsEntry(
            "dev.molt.api", List.of(URI.create("file:/x/api/"), URI.create("file:/x/stale-api/")))
        .containsEntry("dev.molt.vmm", List.of(URI.create("file:/x/vmm/")));
  }

  private static MoltModules.Module module(ModuleDescriptor descriptor, String directory) {
    return new MoltModules.Module(descriptor, URI.create("file:/x/" + directory + "/"));
  }
}
