package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Ioctls;
import dev.molt.vmm.internal.sys.KvmStructs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * One kind of vCPU register state: its kernel struct, its get/set ioctls, where it sits in {@code
 * kvm_run->s.regs} (if it can travel there) and how to convert it.
 *
 * @param syncBit the {@code KVM_SYNC_X86_*} bit, or 0 when it never travels through {@code kvm_run}
 * @param syncOffset its offset in {@code kvm_run} when it does
 */
record RegisterSet<T extends Object>(
    StructLayout layout,
    long getIoctl,
    String getName,
    long setIoctl,
    String setName,
    long syncBit,
    long syncOffset,
    Codec<T> codec) {

  /** Reads a value at an offset of a segment. */
  interface Reader<T extends Object> {
    T read(MemorySegment segment, long at);
  }

  /** Writes a value at an offset of a segment. */
  interface Writer<T extends Object> {
    void write(MemorySegment segment, long at, T value);
  }

  /** Both directions of one conversion. */
  record Codec<T extends Object>(Reader<T> reader, Writer<T> writer) {
    T read(MemorySegment segment, long at) {
      return reader.read(segment, at);
    }

    void write(MemorySegment segment, long at, T value) {
      writer.write(segment, at, value);
    }
  }

  static final RegisterSet<Registers> GENERAL =
      new RegisterSet<>(
          KvmStructs.KVM_REGS,
          Ioctls.KVM_GET_REGS,
          "KVM_GET_REGS",
          Ioctls.KVM_SET_REGS,
          "KVM_SET_REGS",
          1,
          KvmStructs.RUN_SYNC_GENERAL,
          new Codec<>(RegisterCodec::readRegisters, RegisterCodec::writeRegisters));

  static final RegisterSet<SpecialRegisters> SPECIAL =
      new RegisterSet<>(
          KvmStructs.KVM_SREGS,
          Ioctls.KVM_GET_SREGS,
          "KVM_GET_SREGS",
          Ioctls.KVM_SET_SREGS,
          "KVM_SET_SREGS",
          2,
          KvmStructs.RUN_SYNC_SPECIAL,
          new Codec<>(RegisterCodec::readSpecial, RegisterCodec::writeSpecial));

  static final RegisterSet<FpuState> FPU =
      new RegisterSet<>(
          KvmStructs.KVM_FPU,
          Ioctls.KVM_GET_FPU,
          "KVM_GET_FPU",
          Ioctls.KVM_SET_FPU,
          "KVM_SET_FPU",
          0,
          0,
          new Codec<>(RegisterCodec::readFpu, RegisterCodec::writeFpu));
}
