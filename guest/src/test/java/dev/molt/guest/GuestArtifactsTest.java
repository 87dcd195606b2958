package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GuestArtifactsTest {

  @Test
  void testGuestByNameReturnsTheSameBytesAsTheEnum() {
    assertThat(GuestArtifacts.testGuest("behaviours")).isEqualTo(TestGuest.BEHAVIOURS.elf());
    assertThat(GuestArtifacts.testGuest("noop")).isEqualTo(TestGuest.NOOP.elf());
  }

  @Test
  void testGuestReturnsAFreshCopyEachTime() {
    byte[] first = GuestArtifacts.testGuest("noop");
    first[0] = 0;
    assertThat(GuestArtifacts.testGuest("noop")[0]).isEqualTo((byte) 0x7F);
  }

  @Test
  void unknownTestGuestNameIsRejectedWithTheKnownNames() {
    assertThatThrownBy(() -> GuestArtifacts.testGuest("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no test guest named \"nope\"; known: behaviours, noop");
  }

  @Test
  void nullTestGuestNameIsANullPointerException() {
    assertThatThrownBy(() -> GuestArtifacts.testGuest(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void sdkFilesAreTheHeaderLibraryLinkerScriptAndExampleMakefile() {
    assertThat(GuestArtifacts.sdkFiles())
        .containsExactly("molt_guest.h", "libmoltguest.a", "molt_guest.ld", "Makefile.example");
  }

  @Test
  void headerDeclaresTheAbiVersionOfTheApi() {
    String header = new String(GuestArtifacts.sdkFile("molt_guest.h"), StandardCharsets.UTF_8);
    assertThat(header)
        .contains("#define MOLT_ABI_VERSION " + GuestArtifacts.ABI_VERSION)
        .contains("uint32_t molt_register(const char *name, const char *signature, molt_function fn);");
  }

  @Test
  void libraryIsAnArArchive() {
    assertThat(new String(GuestArtifacts.sdkFile("libmoltguest.a"), 0, 8, StandardCharsets.US_ASCII))
        .isEqualTo("!<arch>\n");
  }

  @Test
  void linkerScriptLinksAtTheFixedAddressAndEntersAtMoltStart() {
    String script = new String(GuestArtifacts.sdkFile("molt_guest.ld"), StandardCharsets.UTF_8);
    assertThat(script).contains(". = 0x200000;").contains("ENTRY(_molt_start)");
  }

  @Test
  void unknownSdkFileIsRejected() {
    assertThatThrownBy(() -> GuestArtifacts.sdkFile("../guests/noop.elf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"../guests/noop.elf\" is not an SDK file");
  }
}
