package dev.faultline.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a dashboard query into the SQL Grafana would send to PostgreSQL, in Grafana's two steps:
 * the browser interpolates template variables ({@code $model}, {@code ${model:sqlstring}}, {@code
 * [[model]]}, {@code $__interval}), then the PostgreSQL datasource expands its macros ({@code
 * $__timeFilter(ts)}, {@code $__timeGroupAlias(ts, 1m)}, ...). Written from Grafana's documented
 * expansions for the PostgreSQL datasource; anything it does not know is an error, so a dashboard
 * cannot use a macro or variable the test does not understand.
 */
final class GrafanaSql {

  /** A dashboard variable with the values currently selected. */
  record Variable(String name, List<String> values, boolean multiOrAll) {}

  /** The dashboard's time range. */
  record TimeRange(Instant from, Instant to) {}

  /** Grafana's variable syntax: $name, [[name:format]], ${name:format}. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?\\]\\]|\\$\\{(\\w+)(?::([^}]+))?\\}");

  /** A macro call; arguments cannot contain parentheses, as in Grafana. */
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)\\(([^)]*)\\)");

  private static final Pattern LEFTOVER = Pattern.compile("\\$\\w|\\$\\{|\\[\\[");

  private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private final Map<String, Variable> variables;
  private final TimeRange range;
  private final Duration interval;
  private final boolean timescale;

  GrafanaSql(
      Map<String, Variable> variables, TimeRange range, Duration interval, boolean timescale) {
    this.variables = Map.copyOf(variables);
    this.range = range;
    this.interval = interval;
    this.timescale = timescale;
  }

  /** Both steps; fails if anything Grafana would have replaced is left. */
  String expand(String query) {
    String sql = expandMacros(interpolate(query));
    Matcher left = LEFTOVER.matcher(sql);
    if (left.find()) {
      throw new IllegalArgumentException(
          "unexpanded variable or macro at '"
              + sql.substring(left.start(), Math.min(sql.length(), left.start() + 30))
              + "' in: "
              + sql);
    }
    return sql;
  }

  /** Step one, the browser's: template variables and the built-in interval variables. */
  String interpolate(String query) {
    Matcher m = VARIABLE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
      String format = m.group(3) != null ? m.group(3) : m.group(5);
      String value = valueOf(name, format);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A variable's text, or null when Grafana would leave the reference as it is. */
  private String valueOf(String name, String format) {
    switch (name) {
      case "__interval":
        return intervalText(interval);
      case "__interval_ms":
        return Long.toString(interval.toMillis());
      case "__from":
        return Long.toString(range.from().toEpochMilli());
      case "__to":
        return Long.toString(range.to().toEpochMilli());
      default:
        break;
    }
    Variable v = variables.get(name);
    if (v == null) {
      return null;
    }
    if (format == null) {
      // The SQL datasources quote multi-value and include-all variables, and leave single ones raw.
      return v.multiOrAll() ? quoted(v.values()) : String.join(",", v.values());
    }
    return switch (format) {
      case "sqlstring" -> quoted(v.values());
      case "raw" -> String.join(",", v.values());
      case "csv" -> String.join(",", v.values());
      case "singlequote" ->
          v.values().stream()
              .map(s -> "'" + s.replace("'", "\\'") + "'")
              .collect(Collectors.joining(","));
      case "doublequote" ->
          v.values().stream()
              .map(s -> "\"" + s.replace("\"", "\\\"") + "\"")
              .collect(Collectors.joining(","));
      default ->
          throw new IllegalArgumentException(
              "variable " + name + ": format '" + format + "' is not supported by this test");
    };
  }

  private static String quoted(List<String> values) {
    return values.stream()
        .map(s -> "'" + s.replace("'", "''") + "'")
        .collect(Collectors.joining(","));
  }

  /** Step two, the PostgreSQL datasource's macros. */
  String expandMacros(String sql) {
    Matcher m = MACRO.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      List<String> args =
          m.group(2).isBlank()
              ? List.of()
              : List.of(m.group(2).split(",")).stream().map(String::strip).toList();
      m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String macro(String name, List<String> args) {
    long from = range.from().getEpochSecond();
    long to = range.to().getEpochSecond();
    return switch (name) {
      case "time" -> arg(name, args, 0) + " AS \"time\"";
      case "timeEpoch" -> "extract(epoch from " + arg(name, args, 0) + ") AS \"time\"";
      case "timeFilter" ->
          arg(name, args, 0) + " BETWEEN " + literal(range.from()) + " AND " + literal(range.to());
      case "timeFrom" -> literal(range.from());
      case "timeTo" -> literal(range.to());
      case "timeGroup" -> timeGroup(name, args);
      case "timeGroupAlias" -> timeGroup(name, args) + " AS \"time\"";
      case "unixEpochFilter" ->
          arg(name, args, 0) + " >= " + from + " AND " + arg(name, args, 0) + " <= " + to;
      case "unixEpochFrom" -> Long.toString(from);
      case "unixEpochTo" -> Long.toString(to);
      case "unixEpochGroup" -> unixEpochGroup(name, args);
      case "unixEpochGroupAlias" -> unixEpochGroup(name, args) + " AS \"time\"";
      default -> throw new IllegalArgumentException("undefined macro: $__" + name);
    };
  }

  private String timeGroup(String name, List<String> args) {
    long seconds = parseInterval(arg(name, args, 1)).toSeconds();
    if (timescale) {
      return "time_bucket('" + seconds + "s'," + arg(name, args, 0) + ")";
    }
    return "floor(extract(epoch from " + arg(name, args, 0) + ")/" + seconds + ")*" + seconds;
  }

  private static String unixEpochGroup(String name, List<String> args) {
    long seconds = parseInterval(arg(name, args, 1)).toSeconds();
    return "floor((" + arg(name, args, 0) + ")/" + seconds + ")*" + seconds;
  }

  private static String arg(String macro, List<String> args, int i) {
    if (args.size() <= i || args.get(i).isEmpty()) {
      throw new IllegalArgumentException("macro $__" + macro + " needs argument " + (i + 1));
    }
    return args.get(i);
  }

  private static String literal(Instant t) {
    return "'" + DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)) + "'";
  }

  /** Grafana interval text ("10s", "'5m'", "1h"), quotes allowed. */
  static Duration parseInterval(String text) {
    String s = text.replace("'", "").replace("\"", "").strip().toLowerCase(Locale.ROOT);
    Matcher m = INTERVAL.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Grafana interval: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w" -> Duration.ofDays(7 * n);
      default -> Duration.ofDays(365 * n);
    };
  }

  /** The text Grafana puts in $__interval for a duration: its largest whole unit. */
  static String intervalText(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
