package dev.molt.api;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * The root every sandbox state implements. A state is owned by one caller at a time; whoever
 * owns it must eventually {@link #close()} it or hand it to a transition that consumes it.
 */
@InheritableMustCall("close")
public interface Sandbox extends AutoCloseable {

  /**
   * Releases this state's resources. Idempotent; the one method a consumed state still accepts.
   */
  @Override
  void close();
}
