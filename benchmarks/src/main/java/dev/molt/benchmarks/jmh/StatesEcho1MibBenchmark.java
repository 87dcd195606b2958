package dev.molt.benchmarks.jmh;

import dev.molt.api.SandboxException;
import dev.molt.benchmarks.states.StatesOperation;
import dev.molt.states.MultiUseSandbox;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The Java side of {@link StatesOperation#ECHO_1MIB}: a raw call of {@code EchoBytes} with 1 MiB
 * whose first 8 bytes change every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatesEcho1MibBenchmark extends StatesSandboxState {
  private final byte[] payload = new byte[StatesOperation.ECHO_BYTES];
  /** The result buffer, reused by every call (as the floor reuses its own). */
  private final byte[] echoed = new byte[StatesOperation.ECHO_BYTES];
  private final ByteBuffer head = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
  private int echoBytes = -1;

  /** Creates the state; JMH instantiates it. */
  public StatesEcho1MibBenchmark() {
    for (int k = 0; k < payload.length; k++) {
      payload[k] = (byte) (k * 31 + 7);
    }
  }

  @Override
  protected StatesOperation operation() {
    return StatesOperation.ECHO_1MIB;
  }

  @Override
  protected void prepare(MultiUseSandbox ready) {
    echoBytes = ready.function("EchoBytes", byte[].class).descriptor().id();
  }

  /**
   * One raw call {@code EchoBytes(payload)}.
   *
   * @return the echoed bytes
   * @throws SandboxException if the call fails
   * @throws IllegalStateException if the echo has another length or head
   */
  @Benchmark
  public byte[] echo1Mib() throws SandboxException {
    long stamp = counter++;
    head.putLong(0, stamp);
    int length = sandbox().callRaw(echoBytes, payload, echoed);
    if (length != payload.length
        || ByteBuffer.wrap(echoed).order(ByteOrder.LITTLE_ENDIAN).getLong(0) != stamp) {
      throw new IllegalStateException("EchoBytes returned " + length + " other bytes");
    }
    return echoed;
  }
}
