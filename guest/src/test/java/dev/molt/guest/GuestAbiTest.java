package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GuestAbi's numbers are the ones the C runtime is compiled with. */
class GuestAbiTest {
  private static final Pattern DEFINITION =
      Pattern.compile("(?m)^\\s*(?:#define\\s+)?(MOLT_[A-Z0-9_]+)\\s*=?\\s*(0x[0-9A-Fa-f]+|\\d+)");

  private static Map<String, Long> cDefinitions() throws IOException {
    Map<String, Long> values = new HashMap<>();
    for (String file :
        new String[] {"src/main/c/include/molt_guest.h", "src/main/c/runtime/molt_internal.h"}) {
      Matcher m = DEFINITION.matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        String number = m.group(2);
        values.put(
            m.group(1),
            number.startsWith("0x") ? Long.parseUnsignedLong(number.substring(2), 16) : Long.parseLong(number));
      }
    }
    return values;
  }

  @Test
  void constantsMatchTheCRuntime() throws IOException {
    Map<String, Long> c = cDefinitions();
    assertThat(c)
        .containsEntry("MOLT_ABI_VERSION", (long) GuestAbi.VERSION)
        .containsEntry("MOLT_BOOT_ADDR", GuestAbi.BOOT_BLOCK_ADDRESS)
        .containsEntry("MOLT_BOOT_MAGIC", GuestAbi.BOOT_MAGIC)
        .containsEntry("MOLT_MIN_INPUT_SIZE", (long) GuestAbi.MIN_INPUT_SIZE)
        .containsEntry("MOLT_MIN_OUTPUT_SIZE", (long) GuestAbi.MIN_OUTPUT_SIZE)
        .containsEntry("MOLT_PORT_DONE", (long) GuestAbi.PORT_DONE)
        .containsEntry("MOLT_PORT_HOSTCALL", (long) GuestAbi.PORT_HOSTCALL)
        .containsEntry("MOLT_PORT_ABORT", (long) GuestAbi.PORT_ABORT)
        .containsEntry("MOLT_FRAME_MAGIC", (long) GuestAbi.FRAME_MAGIC)
        .containsEntry("MOLT_FRAME_HEADER", (long) GuestAbi.FRAME_HEADER_SIZE)
        .containsEntry("MOLT_VALUE_HEADER", (long) GuestAbi.VALUE_HEADER_SIZE)
        .containsEntry("MOLT_FRAME_CALL", (long) GuestAbi.FRAME_CALL)
        .containsEntry("MOLT_FRAME_RETURN", (long) GuestAbi.FRAME_RETURN)
        .containsEntry("MOLT_FRAME_ERROR", (long) GuestAbi.FRAME_ERROR)
        .containsEntry("MOLT_FRAME_HOSTCALL", (long) GuestAbi.FRAME_HOSTCALL)
        .containsEntry("MOLT_FRAME_HOSTRESULT", (long) GuestAbi.FRAME_HOSTRESULT)
        .containsEntry("MOLT_FRAME_ABORT", (long) GuestAbi.FRAME_ABORT)
        .containsEntry("MOLT_FRAME_INIT", (long) GuestAbi.FRAME_INIT)
        .containsEntry("MOLT_MAX_FUNCTIONS", (long) GuestAbi.MAX_FUNCTIONS)
        .containsEntry("MOLT_MAX_PARAMS", (long) GuestAbi.MAX_PARAMS)
        .containsEntry("MOLT_MAX_NAME", (long) GuestAbi.MAX_NAME)
        .containsEntry("MOLT_ERR_BOOT", (long) GuestAbi.ERR_BOOT)
        .containsEntry("MOLT_ERR_NOMEM", (long) GuestAbi.ERR_NOMEM)
        .containsEntry("MOLT_ERR_BAD_CALL", (long) GuestAbi.ERR_BAD_CALL)
        .containsEntry("MOLT_ERR_OVERFLOW", (long) GuestAbi.ERR_OVERFLOW)
        .containsEntry("MOLT_ERR_REGISTER", (long) GuestAbi.ERR_REGISTER)
        .containsEntry("MOLT_ERR_BAD_RESULT", (long) GuestAbi.ERR_BAD_RESULT)
        .containsEntry("MOLT_ERR_HEAP", (long) GuestAbi.ERR_HEAP)
        .containsEntry("MOLT_ERR_USER", (long) GuestAbi.ERR_USER)
        .containsEntry("MOLT_HOST_OK", (long) GuestAbi.HOST_OK)
        .containsEntry("MOLT_HOST_FAILED", (long) GuestAbi.HOST_FAILED)
        .containsEntry("MOLT_HOST_UNKNOWN", (long) GuestAbi.HOST_UNKNOWN)
        .containsEntry("MOLT_HOST_BAD_ARGS", (long) GuestAbi.HOST_BAD_ARGS);
  }

  @Test
  void linkAddressIsTheOneTheLinkerScriptUses() {
    String script =
        new String(GuestArtifacts.sdkFile(GuestArtifacts.LINKER_SCRIPT), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(script).contains(". = 0x%x;".formatted(GuestAbi.LINK_ADDRESS));
  }
}
