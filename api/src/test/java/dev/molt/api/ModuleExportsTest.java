package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {

  @Test
  void theModuleExportsExactlyTheApiAndTheSpi() {
    ModuleDescriptor descriptor = Sandbox.class.getModule().getDescriptor();
    assertThat(descriptor).as("tests run on the module path").isNotNull();
    assertThat(descriptor.name()).isEqualTo("dev.molt.api");
    assertThat(descriptor.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.molt.api", "dev.molt.api.spi");
  }
}
