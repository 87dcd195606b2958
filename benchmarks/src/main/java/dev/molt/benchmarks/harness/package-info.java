/**
 * The benchmark harness: runs the JMH benchmarks and the native floor interleaved, and writes
 * {@code latest.json}, a Markdown table and an SVG chart of the ratios.
 */
package dev.molt.benchmarks.harness;
