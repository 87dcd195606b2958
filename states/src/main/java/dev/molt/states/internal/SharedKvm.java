package dev.molt.states.internal;

import dev.molt.api.KvmUnavailableException;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.KvmException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The process's one open {@code /dev/kvm}, opened on first use and kept open (as VMMs do): every
 * sandbox's VM is created from it. A failed open is not remembered, so a later sandbox retries.
 */
final class SharedKvm {
  private static final Object LOCK = new Object();
  private static volatile @Nullable Kvm kvm;

  private SharedKvm() {}

  static Kvm get() throws KvmUnavailableException {
    Kvm open = kvm;
    if (open != null) {
      return open;
    }
    synchronized (LOCK) {
      open = kvm;
      if (open == null) {
        try {
          open = Kvm.open();
        } catch (KvmException e) {
          throw new KvmUnavailableException(
              Kvm.DEVICE + " cannot be used (" + e.getMessage() + "); Molt needs KVM with"
                  + " read-write access to " + Kvm.DEVICE,
              e);
        }
        kvm = open;
      }
      return open;
    }
  }
}
