package dev.molt.states.internal.snapshotfile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.molt.api.GuestLogLevel;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.api.ValueType;
import dev.molt.guest.GuestAbi;
import dev.molt.states.GuestFunctionDescriptor;
import dev.molt.states.internal.snapshotfile.SnapshotFormatException.Problem;
import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.FpuState;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.VcpuState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Encoding and strict decoding of the small sections: metadata, vCPUs, memory layout. */
final class Sections {
  private Sections() {}

  /** The decoded metadata section. */
  record Metadata(
      String stateClassName,
      Lineage lineage,
      LayoutId layout,
      long generation,
      CpuIdentity cpu,
      ImmutableMap<String, HostFunctionSignature> hostFunctions,
      GuestState guest) {}

  // ---- metadata ----

  static byte[] metadata(SnapshotFile file) {
    Wire.Out out = new Wire.Out();
    out.string(file.stateClassName());
    out.u64(file.lineage().id().getMostSignificantBits());
    out.u64(file.lineage().id().getLeastSignificantBits());
    out.string(file.layout().value());
    out.u64(file.generation());
    out.string(file.cpu().vendor());
    out.u32(file.cpu().features().size());
    file.cpu().features().forEach(out::string);
    out.u32(file.hostFunctions().size());
    for (Map.Entry<String, HostFunctionSignature> f : file.hostFunctions().entrySet()) {
      out.string(f.getKey());
      out.string(f.getValue().result().wireName());
      out.u32(f.getValue().parameters().size());
      f.getValue().parameters().forEach(p -> out.string(p.wireName()));
    }
    guest(out, file.guest());
    return out.toArray();
  }

  private static void guest(Wire.Out out, GuestState g) {
    out.u64(g.memorySize()).u64(g.stackSize()).u64(g.inputBufferSize()).u64(g.outputBufferSize());
    out.u64(g.heapSize()).u8(g.logLevel().ordinal()).u64(g.entry());
    out.u32(g.segments().size());
    for (GuestState.SegmentShape segment : g.segments()) {
      out.u64(segment.address()).u64(segment.memorySize());
      out.u8((segment.writable() ? 1 : 0) | (segment.executable() ? 2 : 0));
    }
    GuestState.FunctionTable table = g.functions();
    out.bool(table != null);
    if (table != null) {
      out.u64(table.dispatch()).u32(table.functions().size());
      for (GuestFunctionDescriptor f : table.functions()) {
        out.string(f.name()).string(f.result().wireName()).u32(f.parameters().size());
        f.parameters().forEach(p -> out.string(p.wireName()));
      }
    }
  }

  private static GuestState guest(Wire.In in) throws SnapshotFormatException {
    long memorySize = in.u64("guest memory size");
    long stackSize = in.u64("guest stack size");
    long inputSize = in.u64("guest input buffer size");
    long outputSize = in.u64("guest output buffer size");
    long heapSize = in.u64("guest heap size");
    int level = in.u8("guest log level");
    GuestLogLevel[] levels = GuestLogLevel.values();
    if (level >= levels.length) {
      throw new SnapshotFormatException(Problem.VALUE, "guest log level " + level + " is unknown");
    }
    long entry = in.u64("guest entry");
    int segmentCount = in.count("guest segment count", 1, MAX_SEGMENTS);
    List<GuestState.SegmentShape> segments = new ArrayList<>();
    for (int i = 0; i < segmentCount; i++) {
      long address = in.u64("guest segment " + i + " address");
      long size = in.u64("guest segment " + i + " size");
      int flags = in.u8("guest segment " + i + " flags");
      if (flags > 3) {
        throw new SnapshotFormatException(
            Problem.VALUE, "guest segment " + i + " flags " + flags + " has unknown bits");
      }
      if (address < 0 || size < 0 || address + size < address) {
        throw new SnapshotFormatException(
            Problem.VALUE, "guest segment " + i + " at 0x" + Long.toHexString(address) + " + "
                + size + " overflows");
      }
      segments.add(new GuestState.SegmentShape(address, size, (flags & 1) != 0, (flags & 2) != 0));
    }
    GuestState.FunctionTable table = null;
    if (in.bool("guest initialised")) {
      long dispatch = in.u64("guest dispatch address");
      int count = in.count("guest function count", 0, GuestAbi.MAX_FUNCTIONS);
      List<GuestFunctionDescriptor> functions = new ArrayList<>();
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < count; i++) {
        String name = in.string("guest function " + i + " name");
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > GuestAbi.MAX_NAME) {
          throw new SnapshotFormatException(
              Problem.ENCODING, "guest function " + i + " name is empty or longer than " + GuestAbi.MAX_NAME + " bytes");
        }
        if (!names.add(name)) {
          throw new SnapshotFormatException(Problem.VALUE, "guest function '" + name + "' is listed twice");
        }
        ValueType result = valueType(in.string("guest function " + name + " result"), name);
        int parameters = in.count("guest function " + name + " parameter count", 0, GuestAbi.MAX_PARAMS);
        List<ValueType> types = new ArrayList<>();
        for (int p = 0; p < parameters; p++) {
          ValueType type = valueType(in.string("guest function " + name + " parameter " + p), name);
          if (type == ValueType.VOID) {
            throw new SnapshotFormatException(
                Problem.VALUE, "guest function '" + name + "' parameter " + p + " is void");
          }
          types.add(type);
        }
        functions.add(new GuestFunctionDescriptor(i, name, types, result));
      }
      table = new GuestState.FunctionTable(dispatch, functions);
    }
    return new GuestState(
        memorySize, stackSize, inputSize, outputSize, heapSize, levels[level], entry, segments, table);
  }

  /** The most loadable segments a guest image may have (as the ELF loader allows). */
  private static final int MAX_SEGMENTS = 64;

  static Metadata metadata(byte[] bytes, SnapshotLimits limits) throws SnapshotFormatException {
    Wire.In in = new Wire.In(bytes, "metadata", limits.maxStringBytes());
    String stateClass = in.string("state class");
    if (!isBinaryClassName(stateClass)) {
      throw new SnapshotFormatException(
          Problem.ENCODING, "metadata state class '" + stateClass + "' is not a Java class name");
    }
    Lineage lineage = new Lineage(new UUID(in.u64("lineage"), in.u64("lineage")));
    String layout = in.string("layout id");
    if (layout.isBlank()) {
      throw new SnapshotFormatException(Problem.VALUE, "metadata layout id is blank");
    }
    long generation = in.u64("generation");
    if (generation < 0) {
      throw new SnapshotFormatException(
          Problem.VALUE, "metadata generation is negative: " + generation);
    }
    String vendor = in.string("cpu vendor");
    int featureCount = in.count("cpu feature count", 0, limits.maxCpuFeatures());
    Set<String> features = new TreeSet<>();
    for (int i = 0; i < featureCount; i++) {
      String feature = in.string("cpu feature " + i);
      if (!features.add(feature)) {
        throw new SnapshotFormatException(
            Problem.VALUE, "metadata lists cpu feature '" + feature + "' twice");
      }
    }
    int functionCount = in.count("host function count", 0, limits.maxHostFunctions());
    Map<String, HostFunctionSignature> functions = new LinkedHashMap<>();
    for (int i = 0; i < functionCount; i++) {
      String name = in.string("host function " + i + " name");
      if (name.isEmpty()) {
        throw new SnapshotFormatException(
            Problem.ENCODING, "metadata host function " + i + " has an empty name");
      }
      ValueType result = valueType(in.string("host function " + name + " result"), name);
      int parameters =
          in.count(
              "host function " + name + " parameter count", 0, HostFunctionSignature.MAX_PARAMETERS);
      List<ValueType> types = new ArrayList<>();
      for (int p = 0; p < parameters; p++) {
        ValueType type = valueType(in.string("host function " + name + " parameter " + p), name);
        if (type == ValueType.VOID) {
          throw new SnapshotFormatException(
              Problem.VALUE, "host function '" + name + "' parameter " + p + " is void");
        }
        types.add(type);
      }
      if (functions.put(name, new HostFunctionSignature(ImmutableList.copyOf(types), result))
          != null) {
        throw new SnapshotFormatException(
            Problem.VALUE, "metadata lists host function '" + name + "' twice");
      }
    }
    GuestState guest = guest(in);
    in.end();
    return new Metadata(
        stateClass,
        lineage,
        new LayoutId(layout),
        generation,
        new CpuIdentity(vendor, features),
        ImmutableMap.copyOf(functions),
        guest);
  }

  private static ValueType valueType(String wireName, String function)
      throws SnapshotFormatException {
    for (ValueType type : ValueType.values()) {
      if (type.wireName().equals(wireName)) {
        return type;
      }
    }
    throw new SnapshotFormatException(
        Problem.VALUE, "function '" + function + "' uses unknown value type '" + wireName + "'");
  }

  /** Dot-separated Java identifiers ({@code $} allowed for nested classes). */
  private static boolean isBinaryClassName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
        return false;
      }
      if (!part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  // ---- vCPUs ----

  static byte[] vcpus(List<VcpuState> vcpus) {
    Wire.Out out = new Wire.Out();
    out.u32(vcpus.size());
    for (VcpuState state : vcpus) {
      Registers r = state.general();
      for (long value :
          new long[] {
            r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), r.rdi(), r.rsp(), r.rbp(), r.r8(), r.r9(),
            r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15(), r.rip(), r.rflags()
          }) {
        out.u64(value);
      }
      SpecialRegisters s = state.special();
      for (Segment segment : List.of(s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt())) {
        out.u64(segment.base()).u32(segment.limit()).u16(segment.selector()).u8(segment.type());
        out.bool(segment.present()).u8(segment.dpl()).bool(segment.db()).bool(segment.s());
        out.bool(segment.l()).bool(segment.g()).bool(segment.avl()).bool(segment.unusable());
      }
      for (DescriptorTable table : List.of(s.gdt(), s.idt())) {
        out.u64(table.base()).u16(table.limit());
      }
      for (long value : new long[] {s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase()}) {
        out.u64(value);
      }
      FpuState f = state.fpu();
      f.x87().forEach(v -> out.u64(v.low()).u64(v.high()));
      out.u16(f.fcw()).u16(f.fsw()).u8(f.ftwx()).u16(f.lastOpcode()).u64(f.lastIp()).u64(f.lastDp());
      f.xmm().forEach(v -> out.u64(v.low()).u64(v.high()));
      out.u32(f.mxcsr());
    }
    return out.toArray();
  }

  static List<VcpuState> vcpus(byte[] bytes, SnapshotLimits limits) throws SnapshotFormatException {
    Wire.In in = new Wire.In(bytes, "vcpus", limits.maxStringBytes());
    int count = in.count("vcpu count", 1, limits.maxVcpus());
    List<VcpuState> result = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String at = "vcpu " + i + " ";
      long[] g = new long[18];
      for (int k = 0; k < g.length; k++) {
        g[k] = in.u64(at + "general register " + k);
      }
      Registers general =
          new Registers(
              g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
              g[14], g[15], g[16], g[17]);
      Segment[] segments = new Segment[8];
      for (int k = 0; k < segments.length; k++) {
        String field = at + "segment " + k;
        long base = in.u64(field + " base");
        int limit = in.u32(field + " limit");
        int selector = in.u16(field + " selector");
        int type = in.u8(field + " type");
        boolean present = in.bool(field + " present");
        int dpl = in.u8(field + " dpl");
        boolean db = in.bool(field + " db");
        boolean s = in.bool(field + " s");
        boolean l = in.bool(field + " l");
        boolean gran = in.bool(field + " g");
        boolean avl = in.bool(field + " avl");
        boolean unusable = in.bool(field + " unusable");
        segments[k] =
            value(
                field,
                () -> new Segment(base, limit, selector, type, present, dpl, db, s, l, gran, avl, unusable));
      }
      DescriptorTable[] tables = new DescriptorTable[2];
      for (int k = 0; k < tables.length; k++) {
        long base = in.u64(at + "descriptor table " + k + " base");
        int limit = in.u16(at + "descriptor table " + k + " limit");
        tables[k] = new DescriptorTable(base, limit);
      }
      long[] c = new long[7];
      for (int k = 0; k < c.length; k++) {
        c[k] = in.u64(at + "control register " + k);
      }
      SpecialRegisters special =
          new SpecialRegisters(
              segments[0], segments[1], segments[2], segments[3], segments[4], segments[5],
              segments[6], segments[7], tables[0], tables[1], c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
      List<FpuState.Vector128> x87 = new ArrayList<>();
      for (int k = 0; k < FpuState.X87_REGISTERS; k++) {
        x87.add(new FpuState.Vector128(in.u64(at + "st" + k), in.u64(at + "st" + k)));
      }
      int fcw = in.u16(at + "fcw");
      int fsw = in.u16(at + "fsw");
      int ftwx = in.u8(at + "ftwx");
      int lastOpcode = in.u16(at + "last opcode");
      long lastIp = in.u64(at + "last ip");
      long lastDp = in.u64(at + "last dp");
      List<FpuState.Vector128> xmm = new ArrayList<>();
      for (int k = 0; k < FpuState.XMM_REGISTERS; k++) {
        xmm.add(new FpuState.Vector128(in.u64(at + "xmm" + k), in.u64(at + "xmm" + k)));
      }
      int mxcsr = in.u32(at + "mxcsr");
      FpuState fpu = new FpuState(x87, fcw, fsw, ftwx, lastOpcode, lastIp, lastDp, xmm, mxcsr);
      result.add(new VcpuState(general, special, fpu));
    }
    in.end();
    return List.copyOf(result);
  }

  private interface Construct<T> {
    T get();
  }

  private static <T> T value(String field, Construct<T> construct) throws SnapshotFormatException {
    try {
      return construct.get();
    } catch (IllegalArgumentException e) {
      throw new SnapshotFormatException(Problem.VALUE, field + ": " + e.getMessage(), e);
    }
  }

  // ---- memory layout ----

  private static final int ANONYMOUS = 0;
  private static final int MEMFD = 1;

  static byte[] memoryLayout(List<MemoryRegionSpec> regions) {
    Wire.Out out = new Wire.Out();
    out.u32(regions.size());
    for (MemoryRegionSpec region : regions) {
      out.u64(region.base().value()).u64(region.size());
      out.u8(region.backing() == MemoryRegionSpec.Backing.MEMFD ? MEMFD : ANONYMOUS);
      out.bool(region.readOnly());
      out.u16(0).u32(0);
    }
    return out.toArray();
  }

  /**
   * The regions, each page-aligned, inside {@code [0, guestAddressLimit)}, ordered, not
   * overlapping, their total not above the memory limit.
   */
  static List<MemoryRegionSpec> memoryLayout(byte[] bytes, SnapshotLimits limits)
      throws SnapshotFormatException {
    Wire.In in = new Wire.In(bytes, "memory-layout", limits.maxStringBytes());
    int count = in.count("region count", 1, limits.maxRegions());
    List<MemoryRegionSpec> regions = new ArrayList<>();
    long total = 0;
    long previousEnd = 0;
    for (int i = 0; i < count; i++) {
      String at = "region " + i;
      long base = in.u64(at + " base");
      long size = in.u64(at + " size");
      int backing = in.u8(at + " backing");
      boolean readOnly = in.bool(at + " read-only");
      if (in.u16(at + " padding") != 0 || in.u32(at + " padding") != 0) {
        throw new SnapshotFormatException(Problem.STRUCTURE, at + " padding is not zero");
      }
      if (backing != ANONYMOUS && backing != MEMFD) {
        throw new SnapshotFormatException(Problem.VALUE, at + " backing " + backing + " is unknown");
      }
      if (base % SnapshotFileFormat.ALIGNMENT != 0 || size % SnapshotFileFormat.ALIGNMENT != 0 || size == 0) {
        throw new SnapshotFormatException(
            Problem.LAYOUT,
            at + " base 0x" + Long.toHexString(base) + " size 0x" + Long.toHexString(size)
                + " must be 4 KiB aligned and not empty");
      }
      // Unsigned: base and size are below 2^64; the sum must stay below the guest range.
      if (Long.compareUnsigned(base, limits.guestAddressLimit()) >= 0
          || Long.compareUnsigned(size, limits.guestAddressLimit() - base) > 0) {
        throw new SnapshotFormatException(
            Problem.LAYOUT,
            at + " [0x" + Long.toHexString(base) + ", +0x" + Long.toHexString(size)
                + ") lies outside the guest-physical range [0, 0x"
                + Long.toHexString(limits.guestAddressLimit()) + ")");
      }
      if (i > 0 && base < previousEnd) {
        throw new SnapshotFormatException(
            Problem.LAYOUT, at + " at 0x" + Long.toHexString(base) + " overlaps or precedes region " + (i - 1));
      }
      previousEnd = base + size;
      total += size; // cannot overflow: every region lies below guestAddressLimit, disjoint
      if (total > limits.maxMemoryBytes()) {
        throw new SnapshotFormatException(
            Problem.LIMIT, "memory regions total more than the limit of " + limits.maxMemoryBytes() + " bytes");
      }
      MemoryRegionSpec spec =
          new MemoryRegionSpec(
              GuestAddress.of(base),
              size,
              backing == MEMFD ? MemoryRegionSpec.Backing.MEMFD : MemoryRegionSpec.Backing.ANONYMOUS,
              readOnly);
      regions.add(spec);
    }
    in.end();
    return List.copyOf(regions);
  }
}
