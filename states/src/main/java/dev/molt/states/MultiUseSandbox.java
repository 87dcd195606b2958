package dev.molt.states;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.ValueType;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An initialised guest, ready for any number of calls: typed calls by name ({@link #call}), typed
 * handles resolved once ({@link #function}), raw calls by numeric id ({@link #callRaw}), host
 * functions registered late, an interrupt handle usable from any thread.
 *
 * <p>Outcomes of a call: a value; a {@link dev.molt.api.GuestErrorException} when the guest
 * reports an error (the sandbox stays Ready); a {@link dev.molt.api.GuestException} on an abnormal
 * exit — {@link dev.molt.api.GuestFaultException}, {@link dev.molt.api.GuestAbortedException},
 * {@link dev.molt.api.ProtocolViolationException}, {@link dev.molt.api.CallKilledException},
 * {@link dev.molt.api.CallTimedOutException} — which leaves it Poisoned (only {@link #close()}
 * helps until snapshots arrive). A host function that throws gives the guest an error result it
 * can handle; the Java exception is attached to the failure the caller finally sees (as the cause
 * of a {@code GuestErrorException}, suppressed on the others).
 *
 * <p>Calls are checked before any guest work: wrong argument count or types are {@link
 * IllegalArgumentException}s. One call runs at a time (other threads wait); calls must be made
 * from platform threads.
 */
public final class MultiUseSandbox implements MoltSandbox {

  static final StateType<MultiUseSandbox, GuestSubstrate> TYPE =
      StateType.of(MultiUseSandbox.class, MultiUseSandbox::handle, MultiUseSandbox::new);

  private final @Owning StateHandle<GuestSubstrate> handle;

  private MultiUseSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * Calls the guest function {@code function} and returns its result as {@code resultType}.
   *
   * <p>{@code resultType} is the Java type of the function's result type ({@code Integer} for
   * i32; {@code Long} for u32, i64 and u64; {@code Float}, {@code Double}, {@code Boolean}, {@code
   * String}, {@code byte[]}; {@code Void} for void, returning {@code null}) or {@code Object}.
   * Arguments are of the Java types of the parameters ({@link ValueType}).
   *
   * {@snippet :
   * int sum = sandbox.call("Add", Integer.class, 40, 2);
   * }
   *
   * @param function the name the guest registered
   * @param resultType the Java type of the result
   * @param arguments one per parameter
   * @param <R> the result type
   * @return the result ({@code null} for void)
   * @throws IllegalArgumentException if there is no such function, {@code resultType} does not
   *     match its result, or the arguments do not match its parameters
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException if the guest reported an error or exited abnormally (see the class
   *     documentation)
   */
  public <R> @Nullable R call(String function, Class<R> resultType, @Nullable Object... arguments)
      throws SandboxException {
    return function(function, resultType).call(arguments);
  }

  /**
   * Resolves a guest function once, checking its result type, for repeated calls.
   *
   * @param function the name the guest registered
   * @param resultType the Java type of its result (see {@link #call})
   * @param <R> the result type
   * @return a handle that calls it through this sandbox
   * @throws IllegalArgumentException if there is no such function or {@code resultType} does not
   *     match its result
   */
  public <R> GuestFunction<R> function(String function, Class<R> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    GuestFunctionDescriptor descriptor = handle.substrate().function(Objects.requireNonNull(function, "function"));
    Class<?> expected = descriptor.result().javaType();
    if (resultType != Object.class && resultType != expected) {
      throw new IllegalArgumentException(
          "%s returns %s, carried as %s, not %s"
              .formatted(descriptor, descriptor.result(), expected.getSimpleName(), resultType.getSimpleName()));
    }
    return new GuestFunction<>(this, descriptor, resultType);
  }

  @Nullable Object invoke(GuestFunctionDescriptor descriptor, @Nullable Object[] arguments)
      throws SandboxException {
    return handle.substrate().call(descriptor, Arrays.asList(arguments));
  }

  /**
   * Calls a guest function of signature {@code bytes(bytes)} by numeric id.
   *
   * @param functionId the function's id ({@link GuestFunctionDescriptor#id()})
   * @param payload the argument bytes
   * @return the result bytes
   * @throws IllegalArgumentException if no function has that id, its signature is not {@code
   *     bytes(bytes)}, or the payload does not fit the input buffer
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException as {@link #call}
   */
  public byte[] callRaw(int functionId, byte[] payload) throws SandboxException {
    return handle.substrate().callRaw(functionId, Objects.requireNonNull(payload, "payload"));
  }

  /**
   * The guest's functions, in id order.
   *
   * @return the function table the guest reported at initialisation
   */
  public List<GuestFunctionDescriptor> functions() {
    return handle.substrate().functions();
  }

  /**
   * Adds a host function after initialisation; the guest can call it from the next host call on.
   *
   * @param function the function
   * @throws IllegalArgumentException if a function of that name is registered
   */
  public void registerHostFunction(HostFunction function) {
    handle.substrate().registerHostFunction(Objects.requireNonNull(function, "function"));
  }

  /**
   * The host functions registered now.
   *
   * @return the registry
   */
  public HostFunctions hostFunctions() {
    return handle.substrate().hostFunctions();
  }

  /**
   * The handle that stops a running call from any thread (the call then throws {@link
   * dev.molt.api.CallKilledException} and the sandbox is Poisoned).
   *
   * @return the handle, valid for the sandbox's life
   */
  public SandboxInterruptHandle interruptHandle() {
    return handle.substrate().interruptHandle();
  }

  /**
   * Bounds-checked access to guest memory by guest-physical address.
   *
   * @return the accessor
   */
  public GuestMemoryAccess memory() {
    return handle.substrate().memory();
  }

  @Override
  public SandboxStatus status() {
    return handle.status();
  }

  @Override
  @EnsuresCalledMethods(value = "this.handle", methods = "close")
  public void close() {
    handle.close();
  }

  @Override
  public String toString() {
    return "MultiUseSandbox[" + (handle.isLive() ? handle.substrate() : handle) + "]";
  }
}
