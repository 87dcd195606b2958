package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FaultVocabularyTest {
  @Test
  void vectorNumbersMatchTheirPositionAndMnemonics() {
    assertThat(ExceptionVector.of(14)).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(ExceptionVector.PAGE_FAULT.mnemonic()).isEqualTo("#PF");
    assertThat(ExceptionVector.values()).hasSize(32);
  }

  @Test
  void exactlyTheArchitecturalVectorsPushAnErrorCode() {
    assertThat(Arrays.stream(ExceptionVector.values()).filter(ExceptionVector::hasErrorCode))
        .extracting(ExceptionVector::number)
        .containsExactly(8, 10, 11, 12, 13, 14, 17, 21, 29, 30);
  }

  @Test
  void vectorOutsideZeroToThirtyOneIsRejected() {
    assertThatThrownBy(() -> ExceptionVector.of(32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exception vector must be 0..31: 32");
  }

  @Test
  void faultPortsMustFitAnEightBitImmediate() {
    assertThatThrownBy(() -> new FaultPorts(0xF0, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..0xFF");
    assertThat(new FaultPorts(0x80, 32).contains(0x9F)).isTrue();
    assertThat(new FaultPorts(0x80, 32).contains(0xA0)).isFalse();
  }

  @Test
  void faultPrintsMnemonicErrorCodeAndAddress() {
    GuestFault fault =
        new GuestFault(
            ExceptionVector.PAGE_FAULT, OptionalLong.of(4), 0x101000, 0x23, 0x10002, 0x200000,
            OptionalLong.of(0x1EF000));
    assertThat(fault).hasToString("#PF error=0x4 rip=0x101000 cpl=3 cr2=0x1ef000");
    assertThat(fault.privilegeLevel()).isEqualTo(3);
  }
}
