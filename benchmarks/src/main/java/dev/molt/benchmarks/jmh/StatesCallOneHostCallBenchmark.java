package dev.molt.benchmarks.jmh;

import dev.molt.api.SandboxException;
import dev.molt.benchmarks.states.StatesOperation;
import dev.molt.states.GuestFunction;
import dev.molt.states.MultiUseSandbox;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.MonotonicNonNull;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The Java side of {@link StatesOperation#CALL_ONE_HOST_CALL}: {@code CallHostAdd(a, b)}, which
 * calls the host function {@code Add} once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatesCallOneHostCallBenchmark extends StatesSandboxState {
  private @MonotonicNonNull GuestFunction<Integer> callHostAdd;

  /** Creates the state; JMH instantiates it. */
  public StatesCallOneHostCallBenchmark() {}

  @Override
  protected StatesOperation operation() {
    return StatesOperation.CALL_ONE_HOST_CALL;
  }

  @Override
  protected void prepare(MultiUseSandbox ready) {
    callHostAdd = ready.function("CallHostAdd", Integer.class);
  }

  /**
   * One call {@code CallHostAdd(a, b)} with fresh arguments.
   *
   * @return {@code a + b}
   * @throws SandboxException if the call fails
   * @throws IllegalStateException if the result is not {@code a + b}
   */
  @Benchmark
  public int callOneHostCall() throws SandboxException {
    GuestFunction<Integer> f = callHostAdd;
    if (f == null) {
      throw new IllegalStateException("not prepared: JMH calls openSandbox() first");
    }
    int i = counter++;
    int a = i * 7 + 1;
    int b = 0x1000 + i;
    Integer sum = f.call(a, b);
    if (sum == null || sum != a + b) {
      throw new IllegalStateException("CallHostAdd(" + a + ", " + b + ") returned " + sum);
    }
    return sum;
  }
}
