package dev.molt.states.internal;

import dev.molt.api.GuestLogLevel;
import dev.molt.api.LayoutId;
import dev.molt.api.SandboxConfiguration;
import dev.molt.guest.GuestAbi;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.states.internal.snapshotfile.GuestState;
import dev.molt.states.internal.elf.ElfLimits;
import dev.molt.vmm.longmode.LongModeLayout;
import dev.molt.vmm.longmode.PageKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Molt's concrete guest-physical layout (guest ABI v1, {@code docs/guest-abi.md} §1): the null
 * page, the supervisor area (GDT, IDT, TSS with I/O bitmap, ring-0 stubs and stacks, page tables)
 * below the boot block at {@code 0x100000}, the image from {@code 0x200000}, then a not-present
 * guard page, the stack, the input buffer, the output buffer and the heap, each page-aligned.
 * Everything else is not present. Computed from a configuration and a validated image; a
 * configuration that does not fit is rejected with a message naming its fields.
 *
 * @param memorySize bytes of guest memory
 * @param imageEnd the first page after the image
 * @param stackBase the lowest stack address (the guard page lies just below)
 * @param stackSize the stack size
 * @param inputAddress the input buffer
 * @param inputSize its size in bytes (as configured)
 * @param outputAddress the output buffer
 * @param outputSize its size in bytes (as configured)
 * @param heapAddress the heap
 * @param heapSize its size
 * @param logLevel the boot block's log level (0 trace .. 5 off)
 * @param longMode the supervisor structures and page mappings handed to vmm
 */
public record GuestLayout(
    long memorySize,
    long imageEnd,
    long stackBase,
    long stackSize,
    long inputAddress,
    long inputSize,
    long outputAddress,
    long outputSize,
    long heapAddress,
    long heapSize,
    int logLevel,
    LongModeLayout longMode) {

  /** The page size. */
  public static final long PAGE = 4096;

  /** The largest input or output buffer this host supports (Java arrays carry frames). */
  public static final long MAX_BUFFER = 1L << 30;

  /** Bytes of the boot block the host writes. */
  public static final int BOOT_BLOCK_SIZE = 0x60;

  static final long GDT = 0x1000;
  static final long IDT = 0x2000;
  static final long TSS = 0x3000;
  static final long FAULT_STUBS = 0x6000;
  static final long RING0_STACK = 0x7000;
  static final long RING0_STACK_SIZE = 0x2000;
  static final long DOUBLE_FAULT_STACK = 0x9000;
  static final long DOUBLE_FAULT_STACK_SIZE = 0x1000;
  static final long PAGE_TABLES = 0xA000;

  /** Copies nothing; validated by {@link #of}. */
  public GuestLayout {
    Objects.requireNonNull(longMode, "longMode");
  }

  /**
   * Where a guest image may lie in a sandbox of this configuration, before the image is known.
   *
   * @param configuration the sandbox configuration
   * @return limits for {@link ElfImage#parse}
   */
  public static ElfLimits imageLimits(SandboxConfiguration configuration) {
    long end = configuration.guestMemorySize();
    if (end <= GuestAbi.LINK_ADDRESS) {
      throw new IllegalArgumentException(
          "guestMemorySize (%d) leaves no room for a guest image, which starts at 0x%x"
              .formatted(end, GuestAbi.LINK_ADDRESS));
    }
    return new ElfLimits(GuestAbi.LINK_ADDRESS, end, Math.min(end, Integer.MAX_VALUE - 8), 64);
  }

  /**
   * Computes and validates the layout.
   *
   * @param configuration the sandbox configuration
   * @param image the validated guest image
   * @return the layout
   * @throws IllegalArgumentException naming the configuration fields that do not fit
   */
  public static GuestLayout of(SandboxConfiguration configuration, ElfImage image) {
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(image, "image");
    return of(GuestState.of(configuration, image));
  }

  /**
   * Computes and validates the layout from the layout fields and image shape a snapshot recorded
   * (or a configuration and image gave).
   *
   * @param guest the layout inputs and the image's segments
   * @return the layout
   * @throws IllegalArgumentException naming the configuration fields that do not fit
   */
  public static GuestLayout of(GuestState guest) {
    Objects.requireNonNull(guest, "guest");
    long memory = guest.memorySize();
    requireBuffer("inputBufferSize", guest.inputBufferSize(), GuestAbi.MIN_INPUT_SIZE);
    requireBuffer("outputBufferSize", guest.outputBufferSize(), GuestAbi.MIN_OUTPUT_SIZE);
    long tablesEnd = PAGE_TABLES + pageTablesSize(memory);
    if (tablesEnd > GuestAbi.BOOT_BLOCK_ADDRESS) {
      throw new IllegalArgumentException(
          ("guestMemorySize (%d) needs 0x%x bytes of page tables, more than the supervisor area"
                  + " below the boot block holds (at most about 480 MiB of guest memory)")
              .formatted(memory, pageTablesSize(memory)));
    }
    long imageEnd = pageUp(guest.segments().getLast().end());
    long stackBase = imageEnd + PAGE; // the guard page is imageEnd
    long stackTop = stackBase + guest.stackSize();
    long input = stackTop;
    long output = input + pageUp(guest.inputBufferSize());
    long heap = output + pageUp(guest.outputBufferSize());
    long end = heap + guest.heapSize();
    if (end > memory || end < heap) {
      throw new IllegalArgumentException(
          ("guestMemorySize (%d) is too small: the image ends at 0x%x, then a 4 KiB guard page,"
                  + " stackSize (%d), inputBufferSize (%d), outputBufferSize (%d) and heapSize (%d)"
                  + " need memory up to 0x%x")
              .formatted(
                  memory,
                  imageEnd,
                  guest.stackSize(),
                  guest.inputBufferSize(),
                  guest.outputBufferSize(),
                  guest.heapSize(),
                  end));
    }
    LongModeLayout.Builder b =
        LongModeLayout.builder()
            .memorySize(memory)
            .gdt(GDT)
            .idt(IDT)
            .tss(TSS)
            .faultStubs(FAULT_STUBS, GuestAbi.PORT_EXCEPTION_BASE)
            .ring0Stack(RING0_STACK, RING0_STACK_SIZE)
            .doubleFaultStack(DOUBLE_FAULT_STACK, DOUBLE_FAULT_STACK_SIZE)
            .pageTables(PAGE_TABLES)
            .allowPorts(GuestAbi.PORT_DONE, GuestAbi.PORT_ABORT)
            .defaultPageKind(PageKind.NOT_PRESENT)
            .pages("boot block", GuestAbi.BOOT_BLOCK_ADDRESS, PAGE, PageKind.USER_READ_ONLY);
    int index = 0;
    for (GuestState.SegmentShape segment : guest.segments()) {
      long first = segment.address() & -PAGE;
      PageKind kind =
          segment.executable()
              ? PageKind.USER_CODE
              : segment.writable() ? PageKind.USER_DATA : PageKind.USER_READ_ONLY;
      b.pages("image segment " + index++, first, pageUp(segment.end()) - first, kind);
    }
    b.pages("stack", stackBase, guest.stackSize(), PageKind.USER_DATA)
        .pages("buffers and heap", input, end - input, PageKind.USER_DATA);
    return new GuestLayout(
        memory,
        imageEnd,
        stackBase,
        guest.stackSize(),
        input,
        guest.inputBufferSize(),
        output,
        guest.outputBufferSize(),
        heap,
        guest.heapSize(),
        logLevel(guest.logLevel()),
        b.build());
  }

  private static void requireBuffer(String field, long size, int minimum) {
    if (size > MAX_BUFFER) {
      throw new IllegalArgumentException(
          "%s (%d) is larger than %d, the largest buffer this host supports"
              .formatted(field, size, MAX_BUFFER));
    }
    if (size < minimum) {
      throw new IllegalArgumentException(
          "%s (%d) is smaller than the guest ABI minimum of %d".formatted(field, size, minimum));
    }
  }

  private static long pageTablesSize(long memory) {
    long directories = (memory + (1L << 30) - 1) >>> 30;
    long tables = (memory + (2L << 20) - 1) >>> 21;
    return (2 + directories + tables) * PAGE;
  }

  static long pageUp(long value) {
    return (value + PAGE - 1) & -PAGE;
  }

  private static int logLevel(GuestLogLevel level) {
    return switch (level) {
      case TRACE -> 0;
      case DEBUG -> 1;
      case INFO -> 2;
      case WARN -> 3;
      case ERROR -> 4;
      case OFF -> 5;
    };
  }

  /**
   * The initial stack pointer of every entry.
   *
   * @return {@code stackBase + stackSize}
   */
  public long stackTop() {
    return stackBase + stackSize;
  }

  /**
   * The first address after the heap; nothing above it is mapped.
   *
   * @return the end of the heap
   */
  public long heapEnd() {
    return heapAddress + heapSize;
  }

  /**
   * The boot block's bytes (ABI §2).
   *
   * @return {@value #BOOT_BLOCK_SIZE} bytes
   */
  public byte[] bootBlock() {
    ByteBuffer b = ByteBuffer.allocate(BOOT_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0x00, GuestAbi.BOOT_MAGIC);
    b.putInt(0x08, GuestAbi.VERSION);
    b.putInt(0x0C, 0);
    b.putLong(0x10, memorySize);
    b.putLong(0x18, inputAddress);
    b.putLong(0x20, inputSize);
    b.putLong(0x28, outputAddress);
    b.putLong(0x30, outputSize);
    b.putLong(0x38, heapAddress);
    b.putLong(0x40, heapSize);
    b.putLong(0x48, stackTop());
    b.putLong(0x50, stackSize);
    b.putInt(0x58, logLevel);
    return b.array();
  }

  /**
   * The fingerprint of this layout: ABI version, memory size and every area.
   *
   * @return the layout id
   */
  public LayoutId id() {
    // Concatenation, not String.formatted: computed for every sandbox, where formatting eleven
    // values cost several microseconds.
    return new LayoutId(
        "molt-abi" + GuestAbi.VERSION
            + ":mem=0x" + Long.toHexString(memorySize)
            + ",image-end=0x" + Long.toHexString(imageEnd)
            + ",stack=0x" + Long.toHexString(stackBase) + "+0x" + Long.toHexString(stackSize)
            + ",in=0x" + Long.toHexString(inputAddress) + "+0x" + Long.toHexString(inputSize)
            + ",out=0x" + Long.toHexString(outputAddress) + "+0x" + Long.toHexString(outputSize)
            + ",heap=0x" + Long.toHexString(heapAddress) + "+0x" + Long.toHexString(heapSize));
  }
}
