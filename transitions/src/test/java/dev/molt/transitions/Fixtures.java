package dev.molt.transitions;

import dev.molt.api.HostFunctions;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.MemorySubstrate;

/** A demo sandbox together with its substrate, so tests can inspect and sabotage it. */
record Fixtures(MemorySubstrate memory, DemoProto proto) {
  static Fixtures create() {
    MemorySubstrate memory = MemorySubstrate.create(HostFunctions.defaults());
    return new Fixtures(memory, Demo.FAMILY.open(memory, DemoProto.class));
  }
}
