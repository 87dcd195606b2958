package dev.molt.states.internal.snapshotfile;

import dev.molt.api.HostFunctionSignature;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.api.ValueType;
import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.FpuState;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.VcpuState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/** Valid snapshot values and raw files assembled from section bytes (for forging bad ones). */
final class TestSnapshots {
  static final CpuIdentity CPU = new CpuIdentity("GenuineIntel", Set.of("sse", "sse2", "avx"));
  static final List<MemoryRegionSpec> REGIONS =
      List.of(
          MemoryRegionSpec.anonymous(GuestAddress.of(0), 2 * 4096),
          MemoryRegionSpec.memfd(GuestAddress.of(0x10000), 4096).asReadOnly());

  private TestSnapshots() {}

  static byte[] memoryBytes() {
    byte[] data = new byte[3 * 4096];
    new Random(7).nextBytes(data);
    return data;
  }

  static MemorySnapshot memory(byte[] bytes) {
    try {
      return MemorySnapshot.copyOf(REGIONS, Channels.newChannel(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static VcpuState vcpu(long seed) {
    Segment code = new Segment(0, -1, 0x23, 11, true, 3, false, true, true, true, false, false);
    Segment data = new Segment(0, -1, 0x1B, 3, true, 3, true, true, false, true, false, false);
    Segment task = new Segment(0x3000, 0x2068, 0x28, 11, true, 0, false, false, false, false, false, false);
    Segment ldt = new Segment(0, 0xFFFF, 0, 2, true, 0, false, false, false, false, false, true);
    SpecialRegisters special =
        new SpecialRegisters(
            code, data, data, data, data, data, task, ldt, new DescriptorTable(0x1000, 55),
            new DescriptorTable(0x2000, 4095), 0x80050033L, seed, 0x9000, 0x620, 0, 0xD01,
            0xFEE00900L);
    Registers general =
        Registers.initial().toBuilder().rax(seed).rbx(~seed).rip(0x100000 + seed).rsp(0x200000).build();
    FpuState fpu =
        new FpuState(
            Collections.nCopies(8, new FpuState.Vector128(seed, 1)), 0x37F, 0, 0, 0, 0, 0,
            Collections.nCopies(16, new FpuState.Vector128(2, seed)), 0x1F80);
    return new VcpuState(general, special, fpu);
  }

  static SnapshotFile file() {
    Map<String, HostFunctionSignature> functions = new LinkedHashMap<>();
    functions.put("HostPrint", HostFunctionSignature.of(ValueType.I32, ValueType.STRING));
    functions.put("add", HostFunctionSignature.of(ValueType.I64, ValueType.I64, ValueType.I64));
    functions.put("tick", HostFunctionSignature.of(ValueType.VOID));
    return SnapshotFile.of(
        "dev.molt.states.MultiUseSandbox",
        new Lineage(new UUID(0x1234, 0x5678)),
        new LayoutId("molt-layout-v1:16MiB"),
        3,
        functions,
        CPU,
        List.of(vcpu(5)),
        memory(memoryBytes()),
        guest());
  }

  /** A guest state with every field set: two segments and an initialised function table. */
  static GuestState guest() {
    return new GuestState(
        16L << 20, 64 << 10, 8192, 16384, 1 << 20, dev.molt.api.GuestLogLevel.WARN, 0x201000,
        List.of(
            new GuestState.SegmentShape(0x200000, 0x3000, false, true),
            new GuestState.SegmentShape(0x204000, 0x1800, true, false)),
        new GuestState.FunctionTable(
            0x200120,
            List.of(
                new dev.molt.states.GuestFunctionDescriptor(0, "Add", List.of(ValueType.I32, ValueType.I32), ValueType.I32),
                new dev.molt.states.GuestFunctionDescriptor(1, "Echo", List.of(ValueType.BYTES), ValueType.BYTES),
                new dev.molt.states.GuestFunctionDescriptor(2, "Noop", List.of(), ValueType.VOID))));
  }

  /** A file of the current format made of these section contents, with correct offsets and digests. */
  static byte[] assemble(byte[] metadata, byte[] vcpus, byte[] layout, byte[] memory) {
    byte[][] sections = {metadata, vcpus, layout, memory};
    int headerSize = SnapshotFileFormat.headerSize(4);
    long[] offsets = new long[4];
    long at = SnapshotFileFormat.align(headerSize);
    for (int i = 0; i < 4; i++) {
      offsets[i] = at;
      at = i == 3 ? at + sections[i].length : SnapshotFileFormat.align(at + sections[i].length);
    }
    ByteBuffer file = ByteBuffer.allocate((int) at).order(ByteOrder.LITTLE_ENDIAN);
    file.put(SnapshotFileFormat.MAGIC).putShort((short) SnapshotFileFormat.MAJOR).putShort((short) SnapshotFileFormat.MINOR);
    file.putInt(headerSize).putLong(at).putInt(4).putInt(0);
    for (int i = 0; i < 4; i++) {
      file.putInt(i + 1).putInt(0).putLong(offsets[i]).putLong(sections[i].length).put(sha256(sections[i]));
    }
    file.put(sha256(java.util.Arrays.copyOf(file.array(), file.position())));
    for (int i = 0; i < 4; i++) {
      file.put((int) offsets[i], sections[i]);
    }
    return file.array();
  }

  /** Recomputes the header digest after a test edited the header. */
  static void resealHeader(byte[] file) {
    int headerSize = SnapshotFileFormat.headerSize(4);
    byte[] digest = sha256(java.util.Arrays.copyOf(file, headerSize - 32));
    System.arraycopy(digest, 0, file, headerSize - 32, 32);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
