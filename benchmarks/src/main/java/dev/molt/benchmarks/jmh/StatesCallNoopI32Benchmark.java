package dev.molt.benchmarks.jmh;

import dev.molt.api.SandboxException;
import dev.molt.benchmarks.states.StatesOperation;
import dev.molt.states.GuestFunction;
import dev.molt.states.MultiUseSandbox;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.MonotonicNonNull;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The Java side of {@link StatesOperation#CALL_NOOP_I32}: {@code Noop(i)} through a handle. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatesCallNoopI32Benchmark extends StatesSandboxState {
  private @MonotonicNonNull GuestFunction<Void> noop;

  /** Creates the state; JMH instantiates it. */
  public StatesCallNoopI32Benchmark() {}

  @Override
  protected StatesOperation operation() {
    return StatesOperation.CALL_NOOP_I32;
  }

  @Override
  protected void prepare(MultiUseSandbox ready) {
    noop = ready.function("Noop", Void.class);
  }

  /**
   * One call {@code Noop(i)}.
   *
   * @return null (the function is void)
   * @throws SandboxException if the call fails
   */
  @Benchmark
  public @Nullable Void callNoopI32() throws SandboxException {
    GuestFunction<Void> f = noop;
    if (f == null) {
      throw new IllegalStateException("not prepared: JMH calls openSandbox() first");
    }
    return f.call(counter++);
  }
}
