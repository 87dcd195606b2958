package dev.molt.guest;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The test guests shipped in this module: static x86-64 ELF executables linked at {@code
 * 0x200000} against the guest runtime (guest ABI v1, {@code docs/guest-abi.md}).
 */
public enum TestGuest {
  /**
   * About 40 functions, one per behaviour the host must handle: echoes of every value type, host
   * calls, printing, reported errors, aborts, CPU faults, spinning, heap and stack exhaustion, and
   * frames that break the protocol. The functions are listed in {@code guest/README.md}.
   */
  BEHAVIOURS("behaviours"),
  /** One function, {@code Noop void(i32)}, for call-overhead benchmarks. */
  NOOP("noop");

  private final String guestName;

  TestGuest(String guestName) {
    this.guestName = guestName;
  }

  /**
   * The name used in {@link GuestArtifacts#testGuest(String)} and in the resource file name.
   *
   * @return the lower-case name, e.g. {@code "behaviours"}
   */
  public String guestName() {
    return guestName;
  }

  /**
   * The guest's ELF file.
   *
   * @return a fresh copy of the file's bytes
   * @throws IllegalStateException if this jar was built without the guest (a broken build)
   */
  public byte[] elf() {
    return Resources.read("guests/" + guestName + ".elf");
  }

  /**
   * The test guest of the given name.
   *
   * @param name a {@link #guestName()}
   * @return the guest
   * @throws IllegalArgumentException if no test guest has that name
   */
  public static TestGuest named(String name) {
    for (TestGuest guest : values()) {
      if (guest.guestName.equals(name)) {
        return guest;
      }
    }
    throw new IllegalArgumentException(
        "no test guest named \"%s\"; known: %s"
            .formatted(
                name,
                Arrays.stream(values()).map(TestGuest::guestName).collect(Collectors.joining(", "))));
  }
}
