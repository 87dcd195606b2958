package dev.molt.benchmarks.scenario;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the {@link ScenarioDriver} on the class path or module path. */
public final class ScenarioDrivers {
  private ScenarioDrivers() {}

  /**
   * The first registered driver.
   *
   * @return the driver, or empty while no module provides one
   */
  public static Optional<ScenarioDriver> find() {
    return ServiceLoader.load(ScenarioDriver.class).findFirst();
  }

  /**
   * The registered driver, for benchmarks that cannot run without one.
   *
   * @return the driver
   * @throws IllegalStateException if none is registered
   */
  public static ScenarioDriver require() {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no ScenarioDriver is registered: the Java side of the floor scenarios needs"
                        + " a provider built on Molt's vmm module (dev.molt.benchmarks.driver"
                        + ".VmmScenarioDriver, listed in META-INF/services and module-info)"));
  }
}
