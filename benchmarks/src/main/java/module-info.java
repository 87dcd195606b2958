/** JMH benchmarks and their native C floors (to be filled by the benchmark issue). */
module dev.molt.benchmarks {
  requires dev.molt.vmm;
}
