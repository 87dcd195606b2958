package dev.molt.states.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * Molt's JFR events: sandbox creation, initialisation (evolve), guest calls, snapshots, restores,
 * snapshot files saved and loaded.
 */
public final class Events {
  private Events() {}

  /** A sandbox's micro-VM was created (ELF validated, memory and vCPU set up). */
  @Name("dev.molt.SandboxCreate")
  @Label("Sandbox Create")
  @Category("Molt")
  @Description("A Molt sandbox's micro-VM was created")
  public static final class Create extends Event {
    /** An uncommitted event. */
    public Create() {}

    /** The guest image. */
    @Label("Guest")
    public String guest = "";

    /** Guest memory in bytes. */
    @Label("Memory Size")
    public long memorySize;

    /** "created" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** A sandbox ran its guest's initialisation. */
  @Name("dev.molt.SandboxEvolve")
  @Label("Sandbox Evolve")
  @Category("Molt")
  @Description("A Molt sandbox ran guest initialisation")
  public static final class Evolve extends Event {
    /** An uncommitted event. */
    public Evolve() {}

    /** What ran, e.g. "initialise". */
    @Label("Transition")
    public String transition = "";

    /** Number of guest functions registered, when it succeeded. */
    @Label("Functions")
    public int functions;

    /** "initialised" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** One guest call. */
  @Name("dev.molt.GuestCall")
  @Label("Guest Call")
  @Category("Molt")
  @Description("A call into a Molt guest function")
  public static final class Call extends Event {
    /** An uncommitted event. */
    public Call() {}

    /** The guest function. */
    @Label("Function")
    public String function = "";

    /** How many host calls the guest made during the call. */
    @Label("Host Calls")
    public int hostCalls;

    /** "returned" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** A snapshot of a sandbox was captured. */
  @Name("dev.molt.SandboxSnapshot")
  @Label("Sandbox Snapshot")
  @Category("Molt")
  @Description("A Molt sandbox's memory and vCPU state were captured")
  public static final class Snapshot extends Event {
    /** An uncommitted event. */
    public Snapshot() {}

    /** Pages the memory image holds (the others are zero). */
    @Label("Populated Pages")
    public long populatedPages;

    /** Whether the memory image of an earlier capture or restore was reused (nothing changed). */
    @Label("Reused Image")
    public boolean reused;

    /** "captured" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** A sandbox was restored to a snapshot. */
  @Name("dev.molt.SandboxRestore")
  @Label("Sandbox Restore")
  @Category("Molt")
  @Description("A Molt sandbox's memory and vCPU state were restored from a snapshot")
  public static final class Restore extends Event {
    /** An uncommitted event. */
    public Restore() {}

    /** Pages copied back from the image. */
    @Label("Pages Copied")
    public long pagesCopied;

    /** Regions re-mapped from the image (large or untracked restores). */
    @Label("Regions Remapped")
    public int regionsRemapped;

    /** "restored" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** A snapshot was written to a file. */
  @Name("dev.molt.SnapshotSave")
  @Label("Snapshot Save")
  @Category("Molt")
  @Description("A Molt snapshot was written to a file")
  public static final class Save extends Event {
    /** An uncommitted event. */
    public Save() {}

    /** The file. */
    @Label("Path")
    public String path = "";

    /** Guest memory bytes in the file. */
    @Label("Memory Size")
    public long memorySize;

    /** "saved" or the failure's class name. */
    @Label("Outcome")
    public String outcome = "";
  }

  /** A snapshot file was read and validated. */
  @Name("dev.molt.SnapshotLoad")
  @Label("Snapshot Load")
  @Category("Molt")
  @Description("A Molt snapshot file was read and validated")
  public static final class Load extends Event {
    /** An uncommitted event. */
    public Load() {}

    /** The file. */
    @Label("Path")
    public String path = "";

    /** Guest memory bytes in the file. */
    @Label("Memory Size")
    public long memorySize;

    /** "loaded" or the refusal's problem. */
    @Label("Outcome")
    public String outcome = "";
  }
}
