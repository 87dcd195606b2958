package dev.molt.transitions.demo;

import dev.molt.api.Devolve;
import dev.molt.api.Evolve;
import dev.molt.api.GuestAbortedException;
import dev.molt.api.Sandbox;
import dev.molt.api.spi.StateFamily;
import java.util.List;

/**
 * The example family: a sandbox that is created bare ({@link DemoProto}), gets a runtime loaded
 * ({@link DemoRuntime}), then a module ({@link DemoLoaded}); unloading the module is a devolve
 * back to the runtime, restoring the rollback point the load recorded.
 */
// @start region=family
public sealed interface Demo extends Sandbox permits DemoProto, DemoRuntime, DemoLoaded {

  /** The family: its states and how Molt reaches them. */
  StateFamily<Demo, MemorySubstrate> FAMILY =
      StateFamily.of(Demo.class, List.of(DemoProto.TYPE, DemoRuntime.TYPE, DemoLoaded.TYPE));

  /** Evolve: load the runtime (records a rollback point to the bare sandbox). */
  Evolve<DemoProto, DemoRuntime> LOAD_RUNTIME =
      FAMILY.evolve("loadRuntime", DemoProto.class, DemoRuntime.class, (proto, memory) -> {
        memory.put("runtime", "demo-runtime 1.0");
      });

  /** Evolve: load a module (records a rollback point to the runtime-only sandbox). */
  static Evolve<DemoRuntime, DemoLoaded> loadModule(String module) {
    return FAMILY.evolve("loadModule", DemoRuntime.class, DemoLoaded.class, (runtime, memory) -> {
      if (module.isBlank()) {
        memory.poison("module name is blank");
        throw new GuestAbortedException(1, "module name is blank", memory.status());
      }
      memory.put("module", module);
    });
  }

  /** Devolve: unload the module = restore the point {@code loadModule} recorded. */
  Devolve<DemoLoaded, DemoRuntime> UNLOAD_MODULE =
      FAMILY.devolve("unloadModule", loadModule("any"));
}
// @end region=family
