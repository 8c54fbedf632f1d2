package dev.faultline.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./faultline} command. */
@Command(
    name = "faultline",
    mixinStandardHelpOptions = true,
    version = "Faultline 0.1.0",
    description = "Outage observability for LLM fleets.",
    subcommands = {
      DemoCommand.class,
      ReplayCommand.class,
      EvaluateCommand.class,
      SimulateCommand.class,
      IngestCommand.class,
      NotifierCommand.class,
      StorageWriterCommand.class,
      UiCommand.class
    },
    footer = {
      "",
      "  test      install what the tests need and run ./mvnw -B verify (handled by the script)",
      "  bench     run the benchmarks of BENCHMARKS.md (handled by the script; bench/run.sh)"
    })
public final class Faultline implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Faultline()).execute(args);
    String command = args.length > 0 ? args[0] : "";
    boolean service =
        java.util.Set.of("demo", "ingest", "notifier", "storage-writer", "ui").contains(command);
    if (code != 0 || !service) {
      System.exit(code);
    }
  }
}
