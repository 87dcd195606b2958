package dev.molt.examples.wasm;

import dev.molt.api.Devolve;
import dev.molt.api.Evolve;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.api.spi.StateFamily;
import dev.molt.states.spi.GuestSubstrate;
import dev.molt.transitions.StateGraph;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * The states of a WebAssembly sandbox, a sealed family over Molt's KVM guest substrate:
 * {@link ProtoWasmSandbox} (the engine guest loaded, not run) → {@link #LOAD_RUNTIME} → {@link
 * WasmSandbox} (engine initialised, no module) → {@link #loadModule(byte[])} → {@link
 * LoadedWasmSandbox} (a module instantiated) → {@link #UNLOAD_MODULE} → {@link WasmSandbox}.
 * An exhaustive {@code switch} over the family needs no {@code default}.
 *
 * <p>Both forward moves are {@link Evolve}s: each records a rollback point (a snapshot of the
 * state it leaves). {@link #UNLOAD_MODULE} is the {@link Devolve} of {@code loadModule}: it
 * restores that point, so the next module starts from exactly the memory the runtime had before
 * the first one — nothing of a previous tenant survives. Each state also has method-style forms
 * ({@link ProtoWasmSandbox#loadRuntime()}, {@link WasmSandbox#loadModule(byte[])}, {@link
 * LoadedWasmSandbox#unloadModule()}) that translate the engine's rejections into {@link
 * WasmException}s.
 */
public sealed interface WasmState extends Sandbox permits ProtoWasmSandbox, WasmSandbox, LoadedWasmSandbox {

  /** The family: its states over {@link GuestSubstrate}, for the state SPI and the graph. */
  StateFamily<WasmState, GuestSubstrate> FAMILY =
      StateFamily.of(WasmState.class, List.of(ProtoWasmSandbox.TYPE, WasmSandbox.TYPE, LoadedWasmSandbox.TYPE));

  /**
   * Evolve: runs the engine guest's initialisation and declares the sandbox's host functions to
   * it. On failure the input stays the caller's: Ready (rolled back to the loaded image) when the
   * guest failed, as the {@link dev.molt.api.TransitionFailedException} reports.
   */
  Evolve<ProtoWasmSandbox, WasmSandbox> LOAD_RUNTIME =
      FAMILY.evolve(
          "loadRuntime",
          ProtoWasmSandbox.class,
          WasmSandbox.class,
          new StateFamily.Work<ProtoWasmSandbox, GuestSubstrate>() {
            @Override
            public void perform(ProtoWasmSandbox from, GuestSubstrate substrate) throws SandboxException {
              EngineGuest.loadRuntime(substrate, SandboxImports.of(substrate));
            }
          });

  /**
   * Devolve: unloads the module by restoring the rollback point {@link #loadModule(byte[])}
   * recorded; allowed on a Poisoned sandbox.
   */
  Devolve<LoadedWasmSandbox, WasmSandbox> UNLOAD_MODULE = FAMILY.devolve("unloadModule", loadModule(new byte[0]));

  /**
   * Evolve: decodes, validates and instantiates {@code module} in the engine (running its start
   * function). A rejected module ({@link dev.molt.api.GuestErrorException} with the engine's code
   * as the {@link dev.molt.api.TransitionFailedException}'s failure) leaves the input the caller's
   * and Ready, with no module; {@link WasmSandbox#loadModule(byte[])} turns it into a {@link
   * WasmModuleException}. All modules share one descriptor, so {@link #UNLOAD_MODULE} matches
   * each of them.
   *
   * @param module a WebAssembly binary module (copied)
   * @return the evolve
   */
  static Evolve<WasmSandbox, LoadedWasmSandbox> loadModule(byte[] module) {
    byte[] bytes = Objects.requireNonNull(module, "module").clone();
    return FAMILY.evolve(
        "loadModule",
        WasmSandbox.class,
        LoadedWasmSandbox.class,
        new StateFamily.Work<WasmSandbox, GuestSubstrate>() {
          @Override
          public void perform(WasmSandbox from, GuestSubstrate substrate) throws SandboxException {
            EngineGuest.loadModule(substrate, bytes);
          }
        });
  }

  /**
   * Evolve: loads another module while the current one stays instantiated (its exports stay
   * importable under the names it was {@link LoadedWasmSandbox#register registered} with, and its
   * memory, tables and globals stay as they are); the new module becomes the current one. This is
   * how modules that import each other share one sandbox. Records a rollback point: the sandbox
   * with the earlier module current, which {@link #UNLOAD_TOP_MODULE} restores. A rejected module
   * leaves the input the caller's and Ready, the earlier module still current (a failed
   * instantiation may have written into tables or memories it imported, as the spec says).
   *
   * @param module a WebAssembly binary module (copied)
   * @return the evolve
   */
  static Evolve<LoadedWasmSandbox, LoadedWasmSandbox> loadModuleOnTop(byte[] module) {
    byte[] bytes = Objects.requireNonNull(module, "module").clone();
    return FAMILY.evolve(
        "loadModuleOnTop",
        LoadedWasmSandbox.class,
        LoadedWasmSandbox.class,
        new StateFamily.Work<LoadedWasmSandbox, GuestSubstrate>() {
          @Override
          public void perform(LoadedWasmSandbox from, GuestSubstrate substrate) throws SandboxException {
            EngineGuest.loadModuleOnTop(substrate, bytes);
          }
        });
  }

  /**
   * Devolve: unloads the module the newest {@link #loadModuleOnTop(byte[])} loaded by restoring
   * the rollback point it recorded: the sandbox is again exactly as it was with the earlier module
   * current (registrations made since are gone too). Allowed on a Poisoned sandbox. {@link
   * #UNLOAD_MODULE} instead returns to the module-less runtime, dropping every module.
   */
  Devolve<LoadedWasmSandbox, LoadedWasmSandbox> UNLOAD_TOP_MODULE =
      FAMILY.devolve("unloadTopModule", loadModuleOnTop(new byte[0]));

  /**
   * The family's legal-move graph (render it with {@link StateGraph#toMermaid()}).
   *
   * @return the graph of the three states and five transitions
   */
  static StateGraph graph() {
    return StateGraph.of(
        FAMILY,
        List.of(LOAD_RUNTIME, loadModule(new byte[0]), UNLOAD_MODULE, loadModuleOnTop(new byte[0]), UNLOAD_TOP_MODULE));
  }

  /**
   * Captures a snapshot of a state (Ready, not consumed); restore it with {@link #restore}.
   *
   * @param state the state
   * @param <S> its type
   * @return the snapshot, typed by the state
   * @throws SandboxException if the substrate failed to capture
   * @throws IllegalStateException if the state is consumed, closed or not Ready
   */
  static <S extends WasmState> Snapshot<S> snapshot(S state) throws SandboxException {
    return FAMILY.snapshot(state);
  }

  /**
   * Creates a new sandbox directly from a snapshot, in the snapshot's state (no {@link
   * ProtoWasmSandbox}, no evolve): a new KVM micro-VM whose memory starts as the snapshot's,
   * copy-on-write, with the snapshot's configuration. A {@link LoadedWasmSandbox} from a snapshot
   * has no rollback point, so it cannot {@link LoadedWasmSandbox#unloadModule() unload}; snapshot
   * a {@link WasmSandbox} to start tenants from the bare runtime instead.
   *
   * @param snapshot a snapshot of any state of this family (taken in this process or loaded)
   * @param imports the host functions, the same (order, names, types) as the snapshot's sandbox
   *     was created with: the engine in the snapshot knows them by index. Checked when this process
   *     created the snapshot's lineage; the caller's responsibility for a snapshot from storage
   *     (a mismatch then makes calls of the import trap)
   * @param <S> the snapshot's state
   * @return the new sandbox, owned by the caller
   * @throws IllegalArgumentException if {@code imports} differ from the lineage's
   * @throws dev.molt.api.SnapshotIncompatibleException if the snapshot is not a KVM sandbox's or
   *     not of this family
   * @throws SandboxException if KVM refused or the restore failed
   */
  // StateFamily.fromSnapshot takes the substrate @Owning and closes it itself when it fails; the
  // Resource Leak Checker does not credit that transfer on the call's exceptional exits.
  @SuppressWarnings("required.method.not.called")
  static <S extends WasmState> S fromSnapshot(Snapshot<S> snapshot, WasmImports imports) throws SandboxException {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(imports, "imports");
    SandboxImports.requireSameAsLineage(snapshot.lineage(), imports);
    GuestSubstrate substrate =
        GuestSubstrate.fromSnapshot(
            snapshot, GuestSubstrate.configurationOf(snapshot), EngineGuest.hostFunctions(imports));
    SandboxImports.remember(substrate, imports);
    return FAMILY.fromSnapshot(substrate, snapshot);
  }

  /**
   * Restores a snapshot of this sandbox into it: consumes {@code current} (any live state of the
   * sandbox, even Poisoned) and returns the snapshot's state, Ready. The rollback points in force
   * when the snapshot was taken come back too (so a restored {@link LoadedWasmSandbox} can still
   * {@link LoadedWasmSandbox#unloadModule() unload}).
   *
   * @param current the sandbox's live state; the caller's again on failure
   * @param snapshot a snapshot taken in this sandbox (or one of its lineage)
   * @param <S> the snapshot's state
   * @return the restored state, owned by the caller
   * @throws dev.molt.api.SnapshotIncompatibleException if the snapshot does not fit
   * @throws SandboxException if the substrate failed to restore
   */
  static <S extends WasmState> S restore(@Owning WasmState current, Snapshot<S> snapshot) throws SandboxException {
    return FAMILY.restore(current, snapshot);
  }
}
