package dev.molt.vmm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** jnr-ffi stays inside the binding package; the long-mode builders need no binding at all. */
class LayeringTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.molt.vmm");

  @Test
  void importFoundTheMainClasses() {
    assertThat(MAIN.stream().map(c -> c.getPackageName()).distinct())
        .contains("dev.molt.vmm", "dev.molt.vmm.longmode", "dev.molt.vmm.internal.sys");
    assertThat(MAIN).hasSizeGreaterThan(30);
  }

  @Test
  void onlyTheBindingPackageTouchesJnr() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.molt.vmm.internal.sys..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("jnr..")
        .because("jnr types must never leave the internal binding package")
        .check(MAIN);
  }

  @Test
  void longModeBuildersUseNoSystemCalls() {
    noClasses()
        .that()
        .resideInAPackage("dev.molt.vmm.longmode..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.molt.vmm.internal..")
        .because("the long-mode mechanisms only compute bytes and register values")
        .check(MAIN);
  }
}
