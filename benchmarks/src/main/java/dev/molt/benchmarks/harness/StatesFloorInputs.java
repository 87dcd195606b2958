package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.states.GuestPlan;
import dev.molt.benchmarks.states.StatesOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes what a states operation's floor reads — the guest ELF and its {@link GuestPlan} — next
 * to the floor binary ({@code target/states-floor/<operation>.elf|.plan}) and returns the floor
 * arguments naming them.
 */
final class StatesFloorInputs {
  private StatesFloorInputs() {}

  /**
   * The floor's extra arguments for {@code op}: {@code --guest ELF --plan FILE} for a states
   * operation, none otherwise.
   *
   * @param op the operation
   * @param floorBinary the floor binary (its directory receives the files)
   * @return the arguments
   * @throws UncheckedIOException if a file cannot be written
   */
  static List<String> write(Operation op, Path floorBinary) {
    StatesOperation states = op.states();
    if (states == null) {
      return List.of();
    }
    Path parent = floorBinary.toAbsolutePath().getParent();
    Path dir = (parent == null ? Path.of(".") : parent).resolve("states-floor");
    Path elf = dir.resolve(states.operation() + ".elf");
    Path plan = dir.resolve(states.operation() + ".plan");
    try {
      Files.createDirectories(dir);
      GuestPlan.write(states, elf, plan);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the floor's guest plan into " + dir, e);
    }
    return List.of("--guest", elf.toString(), "--plan", plan.toString());
  }
}
