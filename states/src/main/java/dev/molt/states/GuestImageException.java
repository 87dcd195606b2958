package dev.molt.states;

import java.util.Objects;

/**
 * A guest ELF image Molt refuses to load (a caller mistake, hence an {@link
 * IllegalArgumentException}). The message names the image, the offending ELF field and value,
 * and what Molt expects instead; {@link #field()} names the field.
 */
public final class GuestImageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The ELF field (or derived property) that was refused. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param image where the image came from (a file, a resource, "bytes")
   * @param field the ELF field or derived property that failed, e.g. {@code e_machine}
   * @param detail what is wrong with it
   */
  public GuestImageException(String image, String field, String detail) {
    super("guest image " + Objects.requireNonNull(image, "image") + " rejected: " + detail);
    this.field = Objects.requireNonNull(field, "field");
  }

  /**
   * The ELF field (or derived property) that failed validation.
   *
   * @return e.g. {@code e_machine} or {@code phdr[2].p_offset}
   */
  public String field() {
    return field;
  }
}
