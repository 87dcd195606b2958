/**
 * JUnit support shared by Molt's test suites: {@link dev.molt.testkit.RequiresKvm} gates tests
 * that need a usable {@code /dev/kvm}.
 */
package dev.molt.testkit;
