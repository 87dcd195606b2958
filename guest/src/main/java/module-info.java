/**
 * The Molt guest runtime as shipped artifacts: the SDK guest authors build against ({@code
 * molt_guest.h}, {@code libmoltguest.a}, {@code molt_guest.ld}) and Molt's own test guests, as
 * bytes read from this module. See {@link dev.molt.guest.GuestArtifacts}.
 */
module dev.molt.guest {
  requires static org.checkerframework.checker.qual;

  exports dev.molt.guest;
}
