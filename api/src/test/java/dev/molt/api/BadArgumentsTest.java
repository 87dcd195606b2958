package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Caller mistakes get NullPointerException / IllegalArgumentException naming the argument. */
class BadArgumentsTest {

  private static final HostFunctionSignature VOID = HostFunctionSignature.of(ValueType.VOID);

  @Test
  void hostFunctionPartsMustNotBeNull() {
    assertThatThrownBy(() -> HostFunction.of(null, VOID, a -> null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> HostFunction.of("f", null, a -> null)).isInstanceOf(NullPointerException.class).hasMessage("signature");
    assertThatThrownBy(() -> HostFunction.of("f", VOID, null)).isInstanceOf(NullPointerException.class).hasMessage("body");
    assertThatThrownBy(() -> HostFunction.of("f", VOID, a -> null).invoke(null))
        .isInstanceOf(NullPointerException.class).hasMessage("arguments");
  }

  @Test
  void registryArgumentsMustNotBeNull() {
    HostFunctions r = HostFunctions.defaults();
    assertThatThrownBy(() -> r.with(null)).isInstanceOf(NullPointerException.class).hasMessage("function");
    assertThatThrownBy(() -> r.replacing(null)).isInstanceOf(NullPointerException.class).hasMessage("function");
    assertThatThrownBy(() -> r.lookup((String) null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> r.idOf(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> r.problemsAgainst(null)).isInstanceOf(NullPointerException.class).hasMessage("required");
  }

  @Test
  void signatureListsMustNotContainNull() {
    assertThatThrownBy(() -> HostFunctionSignature.of(ValueType.VOID, (List<ValueType>) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> HostFunctionSignature.of(null)).isInstanceOf(NullPointerException.class).hasMessage("result");
  }

  @Test
  void valueObjectsRejectNullAndBlank() {
    assertThatThrownBy(() -> new Lineage(null)).isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> new LayoutId(" ")).isInstanceOf(IllegalArgumentException.class).hasMessage("layout id must not be blank");
    assertThatThrownBy(() -> SandboxStatus.poisoned(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
    assertThatThrownBy(() -> SandboxStatus.unrecoverable(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
    assertThatThrownBy(() -> SandboxStatus.ready().allows(null)).isInstanceOf(NullPointerException.class).hasMessage("operation");
  }

  @Test
  void transitionDescriptorsNeedANameAndStates() {
    assertThatThrownBy(() -> new TransitionDescriptor(" ", TransitionKind.MOVE, Sandbox.class, Sandbox.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("transition name must not be blank");
    assertThatThrownBy(() -> new TransitionDescriptor("t", null, Sandbox.class, Sandbox.class))
        .isInstanceOf(NullPointerException.class).hasMessage("kind");
    assertThatThrownBy(() -> new TransitionDescriptor("t", TransitionKind.MOVE, null, Sandbox.class))
        .isInstanceOf(NullPointerException.class).hasMessage("from");
  }

  @Test
  void snapshotPartsMustNotBeNull() {
    assertThatThrownBy(() -> Snapshot.of(Sandbox.class, null, new LayoutId("l"), 0, Map.of(), () -> 0))
        .isInstanceOf(NullPointerException.class).hasMessage("lineage");
    assertThatThrownBy(() -> Snapshot.of(Sandbox.class, Lineage.create(), new LayoutId("l"), 0, Map.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("image");
  }

  @Test
  void journalEntriesAreOneBased() {
    assertThatThrownBy(
            () -> new JournalEntry(0, "t", TransitionKind.MOVE, "A", "B", JournalEntry.Outcome.SUCCEEDED, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence is 1-based, was 0");
  }

  @Test
  void mismatchExceptionsNeedAProblem() {
    assertThatThrownBy(() -> new HostFunctionMismatchException(List.of(), SandboxStatus.ready()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a host function mismatch needs at least one problem");
  }
}
