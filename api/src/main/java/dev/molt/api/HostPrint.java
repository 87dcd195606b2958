package dev.molt.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The built-in {@code HostPrint} host function: the guest's print, with signature {@code (string)
 * -> i32} (the result is the number of UTF-8 bytes printed). {@link HostFunctions#defaults()}
 * contains the {@link System.Logger} version; use {@link #to(Consumer)} to route it elsewhere.
 */
public final class HostPrint {

  /** The name the guest calls it by. */
  public static final String NAME = "HostPrint";

  /** Its signature: {@code (string) -> i32}. */
  public static final HostFunctionSignature SIGNATURE =
      HostFunctionSignature.of(ValueType.I32, ValueType.STRING);

  /** The one platform-logger instance, so a substrate can recognise and re-route it. */
  private static final HostFunction SYSTEM_LOGGER =
      to(
          message ->
              System.getLogger("dev.molt.guest").log(System.Logger.Level.INFO, message));

  private HostPrint() {}

  /**
   * A {@code HostPrint} that hands every message to {@code sink}.
   *
   * @param sink receives each message the guest prints
   * @return the host function
   */
  public static HostFunction to(Consumer<String> sink) {
    Objects.requireNonNull(sink, "sink");
    return HostFunction.of(
        NAME,
        SIGNATURE,
        args -> {
          // invoke() has checked the argument is a String
          String message = Objects.toString(args.get(0), "");
          sink.accept(message);
          return message.getBytes(StandardCharsets.UTF_8).length;
        });
  }

  /**
   * A {@code HostPrint} that logs each message at INFO on the platform logger {@code
   * dev.molt.guest} (which SLF4J picks up when its platform-logging bridge is on the path).
   *
   * @return the host function
   */
  public static HostFunction toSystemLogger() {
    return SYSTEM_LOGGER;
  }

  /**
   * Whether {@code function} is the {@link #toSystemLogger()} {@code HostPrint} of {@link
   * HostFunctions#defaults()}. A substrate with its own logging (the KVM states log through
   * SLF4J) replaces that default with its own; a {@code HostPrint} the caller made is kept.
   *
   * @param function a registered host function
   * @return {@code true} for the default platform-logger {@code HostPrint}
   */
  public static boolean isPlatformDefault(HostFunction function) {
    return function == SYSTEM_LOGGER;
  }
}
