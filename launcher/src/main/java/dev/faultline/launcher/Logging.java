package dev.faultline.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * A calm console for the demo: every log line goes to a file in the data directory; the console
 * keeps the banner and Faultline's own warnings and errors, what an operator must act on.
 */
final class Logging {

  /** The log file, relative to the data directory. */
  static final String FILE = "logs/faultline.log";

  private static final String CONSOLE = "STDERR";

  private Logging() {}

  /** Sends every log line to {@code <dataDir>/logs/faultline.log}; returns that file. */
  static Path toFile(Path dataDir) {
    Path file = dataDir.resolve(FILE).toAbsolutePath();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return file;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender("FILE") != null) {
      return file;
    }
    // The web UI's Spring Boot would otherwise reset this configuration when it starts.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    julToSlf4j();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setName("FILE");
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.INFO);
    Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
    if (console != null) {
      console.addFilter(new OwnWarnings());
    }
    return file;
  }

  /** Sends java.util.logging (Tomcat's) through SLF4J instead of its own console handler. */
  private static void julToSlf4j() {
    java.util.logging.Logger jul = java.util.logging.LogManager.getLogManager().getLogger("");
    for (java.util.logging.Handler h : jul.getHandlers()) {
      jul.removeHandler(h);
    }
    jul.addHandler(new JulHandler());
    jul.setLevel(java.util.logging.Level.INFO);
  }

  /** One java.util.logging record, logged again through SLF4J. */
  private static final class JulHandler extends java.util.logging.Handler {
    private final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();

    @Override
    public void publish(java.util.logging.LogRecord r) {
      org.slf4j.Logger log =
          LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
      String message = formatter.formatMessage(r);
      int level = r.getLevel().intValue();
      if (level >= java.util.logging.Level.SEVERE.intValue()) {
        log.error(message, r.getThrown());
      } else if (level >= java.util.logging.Level.WARNING.intValue()) {
        log.warn(message, r.getThrown());
      } else if (level >= java.util.logging.Level.INFO.intValue()) {
        log.info(message, r.getThrown());
      } else {
        log.debug(message, r.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Lets through Faultline's own warnings and errors only. */
  private static final class OwnWarnings extends Filter<ILoggingEvent> {
    OwnWarnings() {
      start();
    }

    @Override
    public FilterReply decide(ILoggingEvent e) {
      boolean own = e.getLoggerName().startsWith("dev.faultline");
      return own && e.getLevel().isGreaterOrEqual(Level.WARN)
          ? FilterReply.NEUTRAL
          : FilterReply.DENY;
    }
  }
}
