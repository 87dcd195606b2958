package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class GuestModuleTest {

  @Test
  void moduleExportsOnlyTheApiPackageToEveryone() {
    Module module = GuestArtifacts.class.getModule();
    assertThat(module.isNamed()).as("tests run on the module path").isTrue();
    ModuleDescriptor descriptor = module.getDescriptor();
    assertThat(descriptor.name()).isEqualTo("dev.molt.guest");
    assertThat(descriptor.exports())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("dev.molt.guest");
              assertThat(e.isQualified()).isFalse();
            });
  }

  @Test
  void artifactsAreConcealedFromOtherModules() {
    Module module = GuestArtifacts.class.getModule();
    assertThat(module.getPackages()).contains("dev.molt.guest.sdk", "dev.molt.guest.guests");
    assertThat(module.isExported("dev.molt.guest.sdk")).isFalse();
    assertThat(module.isExported("dev.molt.guest.guests")).isFalse();
  }
}
