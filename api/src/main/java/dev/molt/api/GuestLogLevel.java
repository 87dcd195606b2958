package dev.molt.api;

/** The most verbose guest log messages the guest runtime forwards to the host. */
public enum GuestLogLevel {
  /** Nothing. */
  OFF,
  /** Errors only. */
  ERROR,
  /** Warnings and errors. */
  WARN,
  /** Informational messages and above. */
  INFO,
  /** Debug messages and above. */
  DEBUG,
  /** Everything. */
  TRACE
}
