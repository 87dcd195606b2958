package dev.molt.vmm.internal.sys;

/**
 * Linux ioctl request numbers for KVM, all built by one encoder ({@link #io}, {@link #ior}, {@link
 * #iow}, {@link #iowr}) from the direction, type, number and argument size, exactly as {@code
 * <asm-generic/ioctl.h>} does. Tests pin every value against the C headers.
 */
public final class Ioctls {
  private static final int NR_SHIFT = 0;
  private static final int TYPE_SHIFT = 8;
  private static final int SIZE_SHIFT = 16;
  private static final int DIR_SHIFT = 30;
  private static final int DIR_NONE = 0;
  private static final int DIR_WRITE = 1;
  private static final int DIR_READ = 2;
  private static final int SIZE_MASK = (1 << 14) - 1;

  /** The KVM ioctl type byte. */
  public static final int KVMIO = 0xAE;

  /** {@code KVM_GET_API_VERSION}. */
  public static final long KVM_GET_API_VERSION = io(KVMIO, 0x00);
  /** {@code KVM_CREATE_VM}. */
  public static final long KVM_CREATE_VM = io(KVMIO, 0x01);
  /** {@code KVM_CHECK_EXTENSION}. */
  public static final long KVM_CHECK_EXTENSION = io(KVMIO, 0x03);
  /** {@code KVM_GET_VCPU_MMAP_SIZE}. */
  public static final long KVM_GET_VCPU_MMAP_SIZE = io(KVMIO, 0x04);
  /** {@code KVM_CREATE_VCPU}. */
  public static final long KVM_CREATE_VCPU = io(KVMIO, 0x41);
  /** {@code KVM_GET_DIRTY_LOG}. */
  public static final long KVM_GET_DIRTY_LOG = iow(KVMIO, 0x42, KvmStructs.KVM_DIRTY_LOG.byteSize());
  /** {@code KVM_ENABLE_CAP}. */
  public static final long KVM_ENABLE_CAP =
      iow(KVMIO, 0xa3, KvmStructs.KVM_ENABLE_CAP.byteSize());
  /** {@code KVM_CLEAR_DIRTY_LOG}. */
  public static final long KVM_CLEAR_DIRTY_LOG =
      iowr(KVMIO, 0xc0, KvmStructs.KVM_CLEAR_DIRTY_LOG.byteSize());
  /** {@code KVM_SET_USER_MEMORY_REGION}. */
  public static final long KVM_SET_USER_MEMORY_REGION =
      iow(KVMIO, 0x46, KvmStructs.KVM_USERSPACE_MEMORY_REGION.byteSize());
  /** {@code KVM_RUN}. */
  public static final long KVM_RUN = io(KVMIO, 0x80);
  /** {@code KVM_GET_REGS}. */
  public static final long KVM_GET_REGS = ior(KVMIO, 0x81, KvmStructs.KVM_REGS.byteSize());
  /** {@code KVM_SET_REGS}. */
  public static final long KVM_SET_REGS = iow(KVMIO, 0x82, KvmStructs.KVM_REGS.byteSize());
  /** {@code KVM_GET_SREGS}. */
  public static final long KVM_GET_SREGS = ior(KVMIO, 0x83, KvmStructs.KVM_SREGS.byteSize());
  /** {@code KVM_SET_SREGS}. */
  public static final long KVM_SET_SREGS = iow(KVMIO, 0x84, KvmStructs.KVM_SREGS.byteSize());
  /** {@code KVM_SET_SIGNAL_MASK} (argument: {@code struct kvm_signal_mask}, 4 bytes + mask). */
  public static final long KVM_SET_SIGNAL_MASK = iow(KVMIO, 0x8b, 4);
  /** {@code KVM_GET_FPU}. */
  public static final long KVM_GET_FPU = ior(KVMIO, 0x8c, KvmStructs.KVM_FPU.byteSize());
  /** {@code KVM_SET_FPU}. */
  public static final long KVM_SET_FPU = iow(KVMIO, 0x8d, KvmStructs.KVM_FPU.byteSize());

  private Ioctls() {}

  /**
   * An ioctl number without argument ({@code _IO}).
   *
   * @param type the ioctl type byte
   * @param nr the command number
   * @return the request number
   */
  public static long io(int type, int nr) {
    return encode(DIR_NONE, type, nr, 0);
  }

  /**
   * An ioctl number whose argument the kernel writes ({@code _IOR}).
   *
   * @param type the ioctl type byte
   * @param nr the command number
   * @param size the argument size in bytes
   * @return the request number
   */
  public static long ior(int type, int nr, long size) {
    return encode(DIR_READ, type, nr, size);
  }

  /**
   * An ioctl number whose argument the kernel reads ({@code _IOW}).
   *
   * @param type the ioctl type byte
   * @param nr the command number
   * @param size the argument size in bytes
   * @return the request number
   */
  public static long iow(int type, int nr, long size) {
    return encode(DIR_WRITE, type, nr, size);
  }

  /**
   * An ioctl number whose argument is read and written ({@code _IOWR}).
   *
   * @param type the ioctl type byte
   * @param nr the command number
   * @param size the argument size in bytes
   * @return the request number
   */
  public static long iowr(int type, int nr, long size) {
    return encode(DIR_READ | DIR_WRITE, type, nr, size);
  }

  private static long encode(int direction, int type, int nr, long size) {
    if (type < 0 || type > 0xFF || nr < 0 || nr > 0xFF) {
      throw new IllegalArgumentException(
          "ioctl type and number must each fit in 8 bits: type=" + type + ", nr=" + nr);
    }
    if (size < 0 || size > SIZE_MASK) {
      throw new IllegalArgumentException("ioctl argument size must fit in 14 bits: " + size);
    }
    return ((long) direction << DIR_SHIFT)
        | ((long) type << TYPE_SHIFT)
        | ((long) nr << NR_SHIFT)
        | (size << SIZE_SHIFT);
  }
}
