package dev.faultline.launcher;

import dev.faultline.contract.Incident;
import dev.faultline.contract.LabelCodec;
import dev.faultline.contract.OutageLabel;
import dev.faultline.evaluation.Evaluation;
import dev.faultline.evaluation.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./faultline evaluate LABELS INCIDENTS}. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score incident.v1 output (NDJSON, every record as ./faultline replay writes it) against"
          + " labelled outages (outage-label.v1 NDJSON).",
      "An incident matches a label when they share a model and their spans overlap, the label's"
          + " widened by the tolerance. Prints one row per label (detected, scope, model Jaccard,"
          + " component, detection delay, pages) and the totals: recall, precision, scope and"
          + " component accuracy, delay median/p90/max, pages per fault, false incidents.",
      "Exit code 0 when it could score, 2 when an input cannot be read (the message names the file"
          + " and line)."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LABELS", description = "outage-label.v1 NDJSON file")
  Path labels;

  @Parameters(
      index = "1",
      paramLabel = "INCIDENTS",
      description = "incident.v1 NDJSON file (the OUT of ./faultline replay)")
  Path incidents;

  @Option(
      names = "--tolerance",
      defaultValue = "2m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "how far before its onset and after its end a label still matches, e.g. 90s, 2m, PT2M"
              + " (default ${DEFAULT-VALUE})")
  Duration tolerance;

  @Option(names = "--json", description = "print one JSON object instead of the table")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<OutageLabel> labelList;
    List<Incident> records;
    try {
      labelList = LabelCodec.read(labels);
      records = Evaluation.readIncidents(incidents);
    } catch (NoSuchFileException e) {
      err.println("evaluate: cannot read " + e.getFile() + ": no such file");
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println("evaluate: " + e.getMessage());
      err.flush();
      return 2;
    }
    Report report = Evaluation.score(labelList, records, tolerance);
    if (json) {
      out.println(report.toJson());
    } else {
      out.print(report.toTable());
    }
    out.flush();
    return 0;
  }

  /** Parses {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT2M}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String text = value.trim().toLowerCase(Locale.ROOT);
      Matcher m = SHORT.matcher(text);
      Duration d;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            };
      } else {
        try {
          d = Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
          throw new CommandLine.TypeConversionException(
              "'" + value + "' is not a duration (e.g. 90s, 2m, PT2M)");
        }
      }
      if (d.isNegative()) {
        throw new CommandLine.TypeConversionException("'" + value + "' must not be negative");
      }
      return d;
    }
  }
}
