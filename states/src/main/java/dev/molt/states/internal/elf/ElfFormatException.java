package dev.molt.states.internal.elf;

/**
 * A guest ELF file that Molt refuses to load. The message names the offending field and value
 * and says what Molt expects instead.
 */
public final class ElfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  ElfFormatException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /**
   * The ELF field (or derived property) that failed validation, e.g. {@code e_machine} or
   * {@code phdr[2].p_offset}.
   *
   * @return the field name
   */
  public String field() {
    return field;
  }
}
