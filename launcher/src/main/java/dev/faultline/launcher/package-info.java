/**
 * The {@code ./faultline} command line: wires the embedded services, the collectors, the Flink
 * jobs, storage and the UI into one platform ({@code demo}), and runs the tools ({@code replay},
 * {@code simulate}, {@code evaluate}).
 */
package dev.faultline.launcher;
