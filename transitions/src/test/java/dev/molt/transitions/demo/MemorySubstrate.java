package dev.molt.transitions.demo;

import dev.molt.api.HostFunctions;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.SubstrateException;
import dev.molt.api.spi.SnapshotImage;
import dev.molt.api.spi.Substrate;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory substrate for tests and the README example: "guest memory" is a sorted map of
 * strings. It can be told to fail its next capture or restore, and it poisons itself on request,
 * so every failure path of the state machine can be exercised without KVM.
 */
public final class MemorySubstrate implements Substrate {

  /** An immutable copy of the memory. */
  record Image(Map<String, String> memory) implements SnapshotImage {
    Image {
      memory = Map.copyOf(memory);
    }

    @Override
    public long sizeBytes() {
      return memory.entrySet().stream()
          .mapToLong(e -> e.getKey().length() + e.getValue().length())
          .sum();
    }
  }

  private final Map<String, String> memory = new TreeMap<>();
  private final Lineage lineage;
  private final LayoutId layout;
  private final HostFunctions hostFunctions;
  private volatile SandboxStatus status = SandboxStatus.ready();
  private volatile boolean failNextCapture;
  private volatile boolean failNextRestore;
  private volatile int closes;
  private volatile int restores;

  private MemorySubstrate(Lineage lineage, LayoutId layout, HostFunctions hostFunctions) {
    this.lineage = lineage;
    this.layout = layout;
    this.hostFunctions = hostFunctions;
  }

  /**
   * A fresh substrate starting a new lineage.
   *
   * @param hostFunctions the registered host functions
   * @return the substrate
   */
  public static MemorySubstrate create(HostFunctions hostFunctions) {
    return new MemorySubstrate(Lineage.create(), new LayoutId("memory-v1"), hostFunctions);
  }

  /**
   * A fresh substrate joining an existing lineage (for sandboxes created from a snapshot).
   *
   * @param lineage the lineage
   * @param layout the layout
   * @param hostFunctions the registered host functions
   * @return the substrate
   */
  public static MemorySubstrate join(Lineage lineage, LayoutId layout, HostFunctions hostFunctions) {
    return new MemorySubstrate(lineage, layout, hostFunctions);
  }

  /**
   * Test access to the memory.
   *
   * @param key the key
   * @param value the value
   */
  public synchronized void put(String key, String value) {
    memory.put(key, value);
  }

  /**
   * Test access to the memory.
   *
   * @param key the key
   * @return the value or the contents
   */
  public synchronized String get(String key) {
    return memory.getOrDefault(key, "");
  }

  /**
   * Test access to the memory.
   *
   * @return the value or the contents
   */
  public synchronized Map<String, String> contents() {
    return Map.copyOf(memory);
  }

  /**
   * Poisons the substrate, as an abnormal guest exit would.
   *
   * @param reason why
   */
  public void poison(String reason) {
    status = SandboxStatus.poisoned(reason);
  }

  /** Makes the next {@link #capture()} fail. */
  public void failNextCapture() {
    failNextCapture = true;
  }

  /** Makes the next {@link #restore} fail and leave the substrate Unrecoverable. */
  public void failNextRestore() {
    failNextRestore = true;
  }

  /**
   * How many times {@link #close()} released the memory (at most 1).
   *
   * @return the count
   */
  public int closes() {
    return closes;
  }

  /**
   * How many restores succeeded.
   *
   * @return the count
   */
  public int restores() {
    return restores;
  }

  @Override
  public SandboxStatus status() {
    return status;
  }

  @Override
  public Lineage lineage() {
    return lineage;
  }

  @Override
  public LayoutId layout() {
    return layout;
  }

  @Override
  public HostFunctions hostFunctions() {
    return hostFunctions;
  }

  @Override
  public synchronized SnapshotImage capture() throws SandboxException {
    if (failNextCapture) {
      failNextCapture = false;
      throw new SubstrateException("capture failed (test)", status, null);
    }
    return new Image(memory);
  }

  @Override
  public synchronized void restore(SnapshotImage image) throws SandboxException {
    if (!(image instanceof Image copy)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.FORMAT, "not an in-memory image: " + image, status);
    }
    if (failNextRestore) {
      failNextRestore = false;
      memory.clear();
      status = SandboxStatus.unrecoverable("restore failed halfway (test)");
      throw new SubstrateException("restore failed (test)", status, null);
    }
    memory.clear();
    memory.putAll(copy.memory());
    status = SandboxStatus.ready();
    restores++;
  }

  @Override
  public synchronized void close() {
    if (closes == 0) {
      memory.clear();
      closes = 1;
    }
  }
}
