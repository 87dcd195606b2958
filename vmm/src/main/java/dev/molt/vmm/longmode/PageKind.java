package dev.molt.vmm.longmode;

/** How a 4 KiB guest page is mapped (its page-table entry flags). */
public enum PageKind {
  /** Not present: any access faults (guard pages). */
  NOT_PRESENT(0),
  /** Ring-0 data: present, writable, supervisor-only, not executable. */
  SUPERVISOR_DATA(PageKind.P | PageKind.W | PageKind.NX),
  /** Ring-0 code: present, read-only, supervisor-only, executable. */
  SUPERVISOR_CODE(PageKind.P),
  /** Ring-3 code: present, read-only, user, executable. */
  USER_CODE(PageKind.P | PageKind.U),
  /** Ring-3 read-only data: present, user, not executable. */
  USER_READ_ONLY(PageKind.P | PageKind.U | PageKind.NX),
  /** Ring-3 data: present, writable, user, not executable. */
  USER_DATA(PageKind.P | PageKind.W | PageKind.U | PageKind.NX);

  static final long P = 1;
  static final long W = 2;
  static final long U = 4;
  static final long NX = 1L << 63;

  private final long flags;

  PageKind(long flags) {
    this.flags = flags;
  }

  /**
   * The page-table-entry flag bits.
   *
   * @return P/W/U/NX bits
   */
  public long entryFlags() {
    return flags;
  }
}
