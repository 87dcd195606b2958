package dev.molt.benchmarks.jmh;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.benchmarks.states.StatesOperation;
import dev.molt.states.GuestBinary;
import dev.molt.states.GuestFunctionDescriptor;
import dev.molt.states.MultiUseSandbox;
import dev.molt.states.UninitializedSandbox;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The Java side of {@link StatesOperation#CREATE_AND_EVOLVE}: the states public API only. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatesCreateAndEvolveBenchmark {
  private final StatesOperation operation = StatesOperation.CREATE_AND_EVOLVE;
  private final GuestBinary guest = GuestBinary.of(operation.guest().elf());
  private final SandboxConfiguration configuration = operation.configuration();
  private final HostFunctions hostFunctions = operation.hostFunctions();

  /** Creates the state; JMH instantiates it. */
  public StatesCreateAndEvolveBenchmark() {}

  /**
   * Creates an UninitializedSandbox of the noop guest, evolves it and closes the result.
   *
   * @return the number of guest functions (1)
   * @throws SandboxException if KVM or the guest fails
   * @throws IllegalStateException if the guest did not report exactly {@code Noop void(i32)}
   */
  @Benchmark
  public int createAndEvolve() throws SandboxException {
    try (UninitializedSandbox fresh =
            UninitializedSandbox.create(guest, configuration, hostFunctions);
        MultiUseSandbox ready = fresh.evolve()) {
      List<GuestFunctionDescriptor> functions = ready.functions();
      if (functions.size() != 1 || !functions.get(0).name().equals("Noop")) {
        throw new IllegalStateException("the noop guest reported " + functions);
      }
      return functions.size();
    }
  }
}
