package dev.molt.guest;

/**
 * The numbers of guest ABI v1 ({@code docs/guest-abi.md}) that a host implementation needs, as
 * compiled into the shipped runtime (a test pins each against the C sources).
 */
public final class GuestAbi {
  /** The ABI version in the boot block and every frame header. */
  public static final int VERSION = 1;

  /** Guest address of the boot block (one 4 KiB page, user read-only). */
  public static final long BOOT_BLOCK_ADDRESS = 0x100000L;

  /** Link address of every guest image (the runtime's {@code _molt_start}). */
  public static final long LINK_ADDRESS = 0x200000L;

  /** Boot block magic: {@code "MOLTBOOT"} read as a little-endian u64. */
  public static final long BOOT_MAGIC = 0x544F4F42544C4F4DL;

  /** Smallest input buffer the runtime accepts, in bytes. */
  public static final int MIN_INPUT_SIZE = 64;

  /** Smallest output buffer the runtime accepts, in bytes. */
  public static final int MIN_OUTPUT_SIZE = 256;

  /** Port of a 1-byte {@code out}: the call or initialisation finished. */
  public static final int PORT_DONE = 0x10;

  /** Port of a 1-byte {@code out}: a host call request is in the output buffer. */
  public static final int PORT_HOSTCALL = 0x11;

  /** Port of a 1-byte {@code out}: the guest aborted (code also in RAX). */
  public static final int PORT_ABORT = 0x12;

  /** First exception-report port: vector {@code v} arrives on {@code 0x80 + v} at CPL 0. */
  public static final int PORT_EXCEPTION_BASE = 0x80;

  /** Frame header magic {@code "MOLF"} as a little-endian u32. */
  public static final int FRAME_MAGIC = 0x464C4F4D;

  /** Bytes of a frame header. */
  public static final int FRAME_HEADER_SIZE = 16;

  /** Bytes of a value header (tag, 3 zero bytes, u32 length). */
  public static final int VALUE_HEADER_SIZE = 8;

  /** Frame kind: host to guest, a call. */
  public static final int FRAME_CALL = 1;

  /** Frame kind: guest to host, a call's value. */
  public static final int FRAME_RETURN = 2;

  /** Frame kind: guest to host, a reported error (code, message). */
  public static final int FRAME_ERROR = 3;

  /** Frame kind: guest to host, a host call request. */
  public static final int FRAME_HOSTCALL = 4;

  /** Frame kind: host to guest, a host call's result. */
  public static final int FRAME_HOSTRESULT = 5;

  /** Frame kind: guest to host, an abort (code, message). */
  public static final int FRAME_ABORT = 6;

  /** Frame kind: guest to host, the function table after initialisation. */
  public static final int FRAME_INIT = 7;

  /** Largest number of guest functions. */
  public static final int MAX_FUNCTIONS = 256;

  /** Largest number of parameters of a guest function. */
  public static final int MAX_PARAMS = 16;

  /** Longest function name in bytes. */
  public static final int MAX_NAME = 128;

  /** Error code: boot block missing, of another version, or inconsistent (ABORT). */
  public static final int ERR_BOOT = 1;

  /** Error code: the heap cannot hold the call's string/bytes arguments (ERROR). */
  public static final int ERR_NOMEM = 2;

  /** Error code: malformed CALL frame, unknown function id or wrong arguments (ERROR). */
  public static final int ERR_BAD_CALL = 3;

  /** Error code: a result or the function table does not fit the output buffer. */
  public static final int ERR_OVERFLOW = 4;

  /** Error code: a bad {@code molt_register} call (ABORT). */
  public static final int ERR_REGISTER = 5;

  /** Error code: a function returned a value of another type than declared (ABORT). */
  public static final int ERR_BAD_RESULT = 6;

  /** Error code: {@code free}/{@code realloc} of a pointer the heap did not hand out (ABORT). */
  public static final int ERR_HEAP = 7;

  /** First error code for guest authors. */
  public static final int ERR_USER = 1000;

  /** HOSTRESULT status: the host function returned a value. */
  public static final int HOST_OK = 0;

  /** HOSTRESULT status: the host function failed (e.g. threw). */
  public static final int HOST_FAILED = 1;

  /** HOSTRESULT status: no host function of that name. */
  public static final int HOST_UNKNOWN = 2;

  /** HOSTRESULT status: argument count or types, or the return type, do not match. */
  public static final int HOST_BAD_ARGS = 3;

  private GuestAbi() {}
}
