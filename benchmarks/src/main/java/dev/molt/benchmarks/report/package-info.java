/**
 * The benchmark report: statistics, rows, the JSON schema of {@code latest.json}, and its Markdown
 * and SVG renderings.
 */
package dev.molt.benchmarks.report;
