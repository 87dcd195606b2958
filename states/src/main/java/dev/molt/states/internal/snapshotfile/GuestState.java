package dev.molt.states.internal.snapshotfile;

import dev.molt.api.GuestLogLevel;
import dev.molt.api.ImmutableSandboxConfiguration;
import dev.molt.api.SandboxConfiguration;
import dev.molt.states.GuestFunctionDescriptor;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.states.internal.elf.LoadSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a KVM sandbox knows about its guest besides memory and registers, recorded in every
 * snapshot so a sandbox can be rebuilt from it without the ELF: the configuration fields the
 * layout is computed from, the shape of the image (entry point and segments, no bytes: those are
 * in guest memory), and the function table once the guest is initialised.
 *
 * @param memorySize guest memory size
 * @param stackSize stack size
 * @param inputBufferSize input buffer size
 * @param outputBufferSize output buffer size
 * @param heapSize heap size
 * @param logLevel the guest log level written into the boot block
 * @param entry the image's entry point
 * @param segments the image's loadable segments, ordered by address (at least one)
 * @param functions the function table, or null before initialisation
 */
public record GuestState(
    long memorySize,
    long stackSize,
    long inputBufferSize,
    long outputBufferSize,
    long heapSize,
    GuestLogLevel logLevel,
    long entry,
    List<SegmentShape> segments,
    @Nullable FunctionTable functions) {

  /**
   * A loadable segment without its bytes.
   *
   * @param address its first guest address
   * @param memorySize its size in memory
   * @param writable whether it is writable
   * @param executable whether it is executable
   */
  public record SegmentShape(long address, long memorySize, boolean writable, boolean executable) {
    /**
     * The first address after the segment.
     *
     * @return {@code address + memorySize}
     */
    public long end() {
      return address + memorySize;
    }
  }

  /**
   * The guest's validated function table.
   *
   * @param dispatch the address of its dispatch routine
   * @param functions its functions, in id order (ids 0, 1, …)
   */
  public record FunctionTable(long dispatch, List<GuestFunctionDescriptor> functions) {
    /**
     * Copies the list and checks the ids.
     *
     * @throws IllegalArgumentException if a function's id is not its index
     */
    public FunctionTable {
      functions = List.copyOf(functions);
      for (int i = 0; i < functions.size(); i++) {
        if (functions.get(i).id() != i) {
          throw new IllegalArgumentException("function " + functions.get(i) + " is at index " + i);
        }
      }
    }
  }

  /**
   * Copies the list and checks it.
   *
   * @throws IllegalArgumentException if there is no segment
   */
  public GuestState {
    Objects.requireNonNull(logLevel, "logLevel");
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a guest image has at least one segment");
    }
  }

  /**
   * The guest state of a sandbox about to be created: the configuration's layout fields and the
   * image's entry point and segments, not initialised.
   *
   * @param configuration the sandbox configuration
   * @param image the validated image
   * @return the state
   */
  public static GuestState of(SandboxConfiguration configuration, ElfImage image) {
    List<SegmentShape> segments = new ArrayList<>();
    for (LoadSegment s : image.segments()) {
      segments.add(
          new SegmentShape(
              s.address(), s.memorySize(), s.permissions().writable(), s.permissions().executable()));
    }
    return new GuestState(
        configuration.guestMemorySize(),
        configuration.stackSize(),
        configuration.inputBufferSize(),
        configuration.outputBufferSize(),
        configuration.heapSize(),
        configuration.guestLogLevel(),
        image.entry(),
        segments,
        null);
  }

  /**
   * Whether {@code dispatch} lies inside an executable segment.
   *
   * @param address a guest address
   * @return whether it is executable image code
   */
  public boolean isExecutable(long address) {
    for (SegmentShape s : segments) {
      if (s.executable()
          && Long.compareUnsigned(address, s.address()) >= 0
          && Long.compareUnsigned(address, s.end()) < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code other} has the same layout inputs and image shape, function tables aside.
   *
   * @param other another guest state
   * @return whether a snapshot with this state fits a sandbox with {@code other}
   */
  public boolean hasShapeOf(GuestState other) {
    return memorySize == other.memorySize
        && stackSize == other.stackSize
        && inputBufferSize == other.inputBufferSize
        && outputBufferSize == other.outputBufferSize
        && heapSize == other.heapSize
        && logLevel == other.logLevel
        && entry == other.entry
        && segments.equals(other.segments);
  }

  /**
   * The same guest state with another function table.
   *
   * @param table the table, or null
   * @return the new state
   */
  public GuestState withFunctions(@Nullable FunctionTable table) {
    return new GuestState(
        memorySize, stackSize, inputBufferSize, outputBufferSize, heapSize, logLevel, entry,
        segments, table);
  }

  /**
   * A configuration with this state's layout fields and {@code base}'s other settings.
   *
   * @param base where the settings that are not part of the layout (the call time limit) come from
   * @return the configuration
   */
  public SandboxConfiguration configuration(SandboxConfiguration base) {
    return ImmutableSandboxConfiguration.copyOf(base)
        .withGuestMemorySize(memorySize)
        .withStackSize(stackSize)
        .withInputBufferSize(inputBufferSize)
        .withOutputBufferSize(outputBufferSize)
        .withHeapSize(heapSize)
        .withGuestLogLevel(logLevel);
  }

  /**
   * The configuration fields of {@code configuration} that differ from this state's layout, each
   * as {@code name (given x, snapshot y)}.
   *
   * @param configuration a caller's configuration
   * @return the conflicts, empty when it fits
   */
  public List<String> conflicts(SandboxConfiguration configuration) {
    List<String> conflicts = new ArrayList<>();
    conflict(conflicts, "guestMemorySize", configuration.guestMemorySize(), memorySize);
    conflict(conflicts, "stackSize", configuration.stackSize(), stackSize);
    conflict(conflicts, "inputBufferSize", configuration.inputBufferSize(), inputBufferSize);
    conflict(conflicts, "outputBufferSize", configuration.outputBufferSize(), outputBufferSize);
    conflict(conflicts, "heapSize", configuration.heapSize(), heapSize);
    conflict(conflicts, "guestLogLevel", configuration.guestLogLevel(), logLevel);
    return conflicts;
  }

  private static void conflict(List<String> into, String field, Object given, Object recorded) {
    if (!given.equals(recorded)) {
      into.add(field + " (given " + given + ", snapshot " + recorded + ")");
    }
  }
}
