package dev.molt.transitions.demo;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.transitions.Chain;
import java.util.ArrayList;
import java.util.List;

/**
 * How an application uses the example family, in the idioms the Resource Leak Checker accepts:
 * every state in try-with-resources (closing a consumed state does nothing), transitions applied
 * to named locals, no chained temporaries. CompileTimeTest compiles this file with the checker on;
 * ReadmeExampleTest runs it.
 */
public final class DemoUsage {

  private DemoUsage() {}

  /**
   * One tenant's round: boot, snapshot, load a module, call it, unload it, restore the snapshot.
   *
   * @param module the tenant's module
   * @return what happened, step by step
   * @throws SandboxException if the guest or the substrate failed
   */
  // @start region=usage
  public static List<String> tenantRound(String module) throws SandboxException {
    List<String> log = new ArrayList<>();
    try (DemoProto proto = DemoProto.create(HostFunctions.defaults())) {
      proto.writeBootData("credits", "100");
      try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) { // evolve: proto is consumed
        Snapshot<DemoRuntime> warm = Demo.FAMILY.snapshot(runtime); // typed by its state
        try (DemoLoaded loaded = Demo.loadModule(module).apply(runtime)) { // records a rollback point
          log.add(loaded.call("main"));
          try (DemoRuntime unloaded = Demo.UNLOAD_MODULE.apply(loaded)) { // devolve = rollback
            log.add(unloaded.eval("status"));
            try (DemoRuntime restored = Demo.FAMILY.restore(unloaded, warm)) { // only a DemoRuntime
              log.add(restored.eval("fresh"));
            }
          }
        }
      }
    }
    return log;
  }
  // @end region=usage

  /**
   * Boot straight to a loaded module, atomically: if a step fails, the bare sandbox comes back.
   *
   * @param module the module
   * @return the module's answer
   * @throws SandboxException if a step failed (the exception names it)
   */
  // @start region=chain
  public static String bootAtomically(String module) throws SandboxException {
    Chain<DemoProto, DemoLoaded> boot =
        Chain.of(Demo.FAMILY, "boot", Demo.LOAD_RUNTIME).then(Demo.loadModule(module));
    try (DemoProto proto = DemoProto.create(HostFunctions.defaults());
        DemoLoaded loaded = boot.apply(proto)) {
      return loaded.call("main");
    }
  }
  // @end region=chain
}
