package dev.molt.benchmarks.driver;

import dev.molt.benchmarks.scenario.KickableVcpu;
import dev.molt.benchmarks.scenario.ReferenceVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.scenario.ScenarioDriver;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VirtualMachine;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Java side of the floor scenarios over Molt's vmm module (registered with {@link
 * java.util.ServiceLoader}). {@code /dev/kvm} is opened on first use and stays open for the life
 * of the JVM, as the floor keeps its descriptor open across iterations.
 */
public final class VmmScenarioDriver implements ScenarioDriver {
  private final Object lock = new Object();
  private @Nullable Kvm kvm; // guarded by lock; never closed: the process owns it until exit

  /** Creates the driver; opens nothing yet (ServiceLoader instantiates it). */
  public VmmScenarioDriver() {}

  @Override
  public String name() {
    return "molt-vmm";
  }

  /** The open device, opened on first use. */
  Kvm kvm() {
    synchronized (lock) {
      Kvm k = kvm;
      if (k == null) {
        k = Kvm.open();
        kvm = k;
      }
      return k;
    }
  }

  @Override
  public long createToFirstExit() {
    try (VirtualMachine vm = kvm().createVirtualMachine(1)) {
      ReferenceGuest.addMemoryWithImage(vm);
      Vcpu vcpu = vm.createVcpu(0);
      ReferenceGuest.enter(vcpu, ReferenceGuest.ENTRY_FIRST_EXIT);
      ReferenceGuest.expectDone(vcpu.run(), Scenario.CREATE_TO_FIRST_EXIT.operation());
      return vcpu.registers().rax();
    }
  }

  @Override
  public ReferenceVcpu open(Scenario scenario) {
    Objects.requireNonNull(scenario, "scenario");
    return switch (scenario) {
      case IO_EXIT_ROUND_TRIP -> VmmReferenceVcpu.ioExit(kvm());
      case DISPATCH_SYNC_REGS -> VmmReferenceVcpu.dispatch(kvm());
      case FAULT_ROUND_TRIP -> VmmReferenceVcpu.fault(kvm());
      case MEMORY_CELLS -> VmmReferenceVcpu.cells(kvm());
      case CREATE_TO_FIRST_EXIT, KILL_TO_EINTR ->
          throw new IllegalArgumentException(
              scenario.operation() + " is not a repeated-operation scenario: use "
                  + (scenario == Scenario.KILL_TO_EINTR ? "openKickable()" : "createToFirstExit()"));
    };
  }

  @Override
  public KickableVcpu openKickable() {
    return VmmKickableVcpu.open(kvm());
  }
}
