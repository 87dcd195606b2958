package dev.molt.benchmarks.harness;

/** A benchmark (the native floor or a JMH run) failed or produced output the harness rejects. */
public final class BenchmarkFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to do about it
   */
  public BenchmarkFailedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed and what to do about it
   * @param cause the underlying failure
   */
  public BenchmarkFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
