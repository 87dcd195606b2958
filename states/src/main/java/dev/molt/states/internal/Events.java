package dev.molt.states.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Molt's JFR events: sandbox creation, initialisation (evolve) and guest calls. */
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
}
