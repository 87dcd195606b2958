package dev.molt.vmm.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against the installed {@code <linux/kvm.h>} that prints the size of every
 * mirrored struct, the offset of every named field and the ioctl numbers, and compares them with
 * the Java mirrors.
 */
class KvmStructsAgainstHeadersTest {
  private static final Map<String, Long> JAVA = new LinkedHashMap<>();
  private static final Map<String, Long> C = new LinkedHashMap<>();

  @BeforeAll
  static void compileAndRun(@TempDir Path dir) throws IOException, InterruptedException {
    StringBuilder c = new StringBuilder();
    c.append("#include <stdio.h>\n#include <stddef.h>\n#include <linux/kvm.h>\nint main(void){\n");
    struct(c, "kvm_regs", KvmStructs.KVM_REGS, "", 0);
    struct(c, "kvm_segment", KvmStructs.KVM_SEGMENT, "", 0);
    struct(c, "kvm_dtable", KvmStructs.KVM_DTABLE, "", 0);
    struct(c, "kvm_sregs", KvmStructs.KVM_SREGS, "", 0);
    struct(c, "kvm_fpu", KvmStructs.KVM_FPU, "", 0);
    struct(c, "kvm_userspace_memory_region", KvmStructs.KVM_USERSPACE_MEMORY_REGION, "", 0);
    struct(c, "kvm_dirty_log", KvmStructs.KVM_DIRTY_LOG, "", 0);
    struct(c, "kvm_clear_dirty_log", KvmStructs.KVM_CLEAR_DIRTY_LOG, "", 0);
    struct(c, "kvm_enable_cap", KvmStructs.KVM_ENABLE_CAP, "", 0);
    struct(c, "kvm_sync_regs", KvmStructs.KVM_SYNC_REGS, "", 0);
    size(c, "kvm_vcpu_events", KvmStructs.KVM_VCPU_EVENTS.byteSize());
    struct(c, "kvm_run", KvmStructs.KVM_RUN, "", 0);
    long exit = KvmStructs.RUN_EXIT_UNION;
    fields(c, "kvm_run", KvmStructs.KVM_RUN_IO, "io.", exit);
    fields(c, "kvm_run", KvmStructs.KVM_RUN_MMIO, "mmio.", exit);
    fields(c, "kvm_run", KvmStructs.KVM_RUN_FAIL_ENTRY, "fail_entry.", exit);
    offset(c, "kvm_run", "internal.suberror", exit);
    offset(c, "kvm_run", "s.regs", KvmStructs.RUN_SYNC_REGS);
    offset(c, "kvm_run", "s.regs.regs", KvmStructs.RUN_SYNC_GENERAL);
    offset(c, "kvm_run", "s.regs.sregs", KvmStructs.RUN_SYNC_SPECIAL);
    ioctl(c, "KVM_GET_API_VERSION", Ioctls.KVM_GET_API_VERSION);
    ioctl(c, "KVM_CREATE_VM", Ioctls.KVM_CREATE_VM);
    ioctl(c, "KVM_CHECK_EXTENSION", Ioctls.KVM_CHECK_EXTENSION);
    ioctl(c, "KVM_GET_VCPU_MMAP_SIZE", Ioctls.KVM_GET_VCPU_MMAP_SIZE);
    ioctl(c, "KVM_CREATE_VCPU", Ioctls.KVM_CREATE_VCPU);
    ioctl(c, "KVM_GET_DIRTY_LOG", Ioctls.KVM_GET_DIRTY_LOG);
    ioctl(c, "KVM_SET_USER_MEMORY_REGION", Ioctls.KVM_SET_USER_MEMORY_REGION);
    ioctl(c, "KVM_RUN", Ioctls.KVM_RUN);
    ioctl(c, "KVM_ENABLE_CAP", Ioctls.KVM_ENABLE_CAP);
    ioctl(c, "KVM_CLEAR_DIRTY_LOG", Ioctls.KVM_CLEAR_DIRTY_LOG);
    ioctl(c, "KVM_GET_REGS", Ioctls.KVM_GET_REGS);
    ioctl(c, "KVM_SET_REGS", Ioctls.KVM_SET_REGS);
    ioctl(c, "KVM_GET_SREGS", Ioctls.KVM_GET_SREGS);
    ioctl(c, "KVM_SET_SREGS", Ioctls.KVM_SET_SREGS);
    ioctl(c, "KVM_SET_SIGNAL_MASK", Ioctls.KVM_SET_SIGNAL_MASK);
    ioctl(c, "KVM_GET_FPU", Ioctls.KVM_GET_FPU);
    ioctl(c, "KVM_SET_FPU", Ioctls.KVM_SET_FPU);
    c.append("return 0;}\n");
    Path source = dir.resolve("kvm_layout.c");
    Path binary = dir.resolve("kvm_layout");
    Files.writeString(source, c.toString());
    run(dir, "gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
    for (String line : run(dir, binary.toString()).split("\n")) {
      String[] parts = line.trim().split(" ");
      C.put(parts[0], Long.parseUnsignedLong(parts[1]));
    }
  }

  private static void struct(StringBuilder c, String name, MemoryLayout layout, String p, long at) {
    size(c, name, layout.byteSize());
    fields(c, name, (GroupLayout) layout, p, at);
  }

  private static void fields(StringBuilder c, String name, GroupLayout layout, String p, long at) {
    for (MemoryLayout member : layout.memberLayouts()) {
      if (member.name().isEmpty()) {
        continue; // unnamed padding
      }
      String field = member.name().get();
      String cField = field.equals("exit") ? "hw" : field; // the anonymous exit union
      offset(c, name, p + cField, at + layout.byteOffset(MemoryLayout.PathElement.groupElement(field)));
    }
  }

  private static void size(StringBuilder c, String name, long javaSize) {
    JAVA.put("sizeof(" + name + ")", javaSize);
    c.append("printf(\"sizeof(%s) %zu\\n\", \"").append(name).append("\", sizeof(struct ")
        .append(name).append("));\n");
  }

  private static void offset(StringBuilder c, String name, String field, long javaOffset) {
    String key = name + "." + field;
    JAVA.put(key, javaOffset);
    c.append("printf(\"%s %zu\\n\", \"").append(key).append("\", offsetof(struct ").append(name)
        .append(", ").append(field).append("));\n");
  }

  private static void ioctl(StringBuilder c, String name, long javaValue) {
    JAVA.put(name, javaValue);
    c.append("printf(\"%s %lu\\n\", \"").append(name).append("\", (unsigned long) ").append(name)
        .append(");\n");
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s failed:%n%s", String.join(" ", command), output)
        .isZero();
    return output;
  }

  @Test
  void everyMirroredSizeOffsetAndIoctlNumberMatchesTheCHeaders() {
    assertThat(JAVA).hasSizeGreaterThan(100);
    assertThat(C).containsExactlyInAnyOrderEntriesOf(JAVA);
  }
}
