package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports exactly the API and the SPI, and no public signature shows a vmm type. */
class ModuleShapeTest {

  @Test
  void exportsExactlyTheStatesAndTheSpi() {
    Module module = MoltSandbox.class.getModule();
    assertThat(module.getName()).isEqualTo("dev.molt.states");
    assertThat(
            module.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(e -> e.source())
                .collect(Collectors.toSet()))
        .isEqualTo(Set.of("dev.molt.states", "dev.molt.states.spi"));
  }

  @Test
  void exportsTheInternalPackagesOnlyToTheBenchmarks() {
    // The benchmarks' native floor consumes a guest plan written from GuestLayout and ElfImage.
    assertThat(
            MoltSandbox.class.getModule().getDescriptor().exports().stream()
                .filter(e -> e.isQualified())
                .map(e -> e.source() + " to " + e.targets())
                .collect(Collectors.toSet()))
        .isEqualTo(
            Set.of(
                "dev.molt.states.internal to [dev.molt.benchmarks]",
                "dev.molt.states.internal.elf to [dev.molt.benchmarks]"));
  }

  @Test
  void noPublicSignatureOfTheApiShowsAVmmOrInternalType() {
    for (Class<?> type : new Class<?>[] {MoltSandbox.class, UninitializedSandbox.class, MultiUseSandbox.class,
        GuestFunction.class, GuestMemoryAccess.class, GuestCell.class, GuestBinary.class,
        SandboxInterruptHandle.class, GuestFunctionDescriptor.class,
        dev.molt.states.spi.GuestSubstrate.class}) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers())) {
          continue;
        }
        Set<Class<?>> mentioned = new java.util.HashSet<>(Arrays.asList(m.getParameterTypes()));
        mentioned.add(m.getReturnType());
        for (Class<?> c : mentioned) {
          assertThat(c.getPackageName())
              .as(type.getSimpleName() + "." + m.getName())
              .doesNotStartWith("dev.molt.vmm")
              .doesNotStartWith("dev.molt.states.internal");
        }
      }
    }
  }
}
