package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxConfigurationTest {

  @Test
  void defaultsAreValidAndDocumented() {
    SandboxConfiguration c = SandboxConfiguration.defaults();
    assertThat(c.guestMemorySize()).isEqualTo(16L << 20);
    assertThat(c.heapSize()).isEqualTo(4L << 20);
    assertThat(c.stackSize()).isEqualTo(64L << 10);
    assertThat(c.inputBufferSize()).isEqualTo(64L << 10);
    assertThat(c.outputBufferSize()).isEqualTo(64L << 10);
    assertThat(c.callTimeLimit()).isEmpty();
    assertThat(c.guestLogLevel()).isEqualTo(GuestLogLevel.INFO);
  }

  @Test
  void theBuilderSetsEveryField() {
    // @start region=builder
    SandboxConfiguration config =
        SandboxConfiguration.builder()
            .guestMemorySize(32L << 20)
            .heapSize(8L << 20)
            .stackSize(128L << 10)
            .inputBufferSize(1L << 20)
            .outputBufferSize(1L << 20)
            .callTimeLimit(Duration.ofMillis(250))
            .guestLogLevel(GuestLogLevel.DEBUG)
            .build();
    // @end region=builder
    assertThat(config.guestMemorySize()).isEqualTo(32L << 20);
    assertThat(config.callTimeLimit()).hasValue(Duration.ofMillis(250));
    assertThat(config.guestLogLevel()).isEqualTo(GuestLogLevel.DEBUG);
  }

  @Test
  void memorySizesMustBePageMultiples() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().guestMemorySize(5000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guestMemorySize must be a positive multiple of 4096 bytes, was 5000");
    assertThatThrownBy(() -> SandboxConfiguration.builder().heapSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heapSize must be a positive multiple of 4096 bytes, was 0");
    assertThatThrownBy(() -> SandboxConfiguration.builder().stackSize(-4096).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stackSize must be a positive multiple of 4096 bytes, was -4096");
  }

  @Test
  void guestMemoryHasAnUpperBound() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().guestMemorySize(128L << 30).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guestMemorySize must be at most 68719476736 bytes, was 137438953472");
  }

  @Test
  void buffersHaveBounds() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().inputBufferSize(100).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputBufferSize must be between 4096 and 68719476736 bytes, was 100");
    assertThatThrownBy(() -> SandboxConfiguration.builder().outputBufferSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outputBufferSize must be between 4096 and 68719476736 bytes, was 0");
  }

  @Test
  void everythingMustFitInGuestMemory() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().guestMemorySize(1L << 20).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "guestMemorySize (1048576) is smaller than heapSize + stackSize + inputBufferSize +"
                + " outputBufferSize (4390912)");
  }

  @Test
  void theTimeLimitMustBePositiveAndBounded() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().callTimeLimit(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeLimit must be positive, was PT0S");
    assertThatThrownBy(() -> SandboxConfiguration.builder().callTimeLimit(Duration.ofDays(2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeLimit must be at most PT24H, was PT48H");
  }

  @Test
  void settingAFieldTwiceIsRejected() {
    assertThatThrownBy(() -> SandboxConfiguration.builder().heapSize(4096).heapSize(8192))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("heapSize");
  }
}
