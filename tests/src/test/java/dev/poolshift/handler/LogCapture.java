package dev.poolshift.handler;

import dev.poolshift.aws.Json;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

/**
 * Captures every log line the functions write, rendered by the same Powertools JSON layout the
 * Lambda runtime prints, so assertions see exactly what CloudWatch Logs would.
 */
final class LogCapture implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final StringWriter out = new StringWriter();
  private final WriterAppender appender;
  private final List<LoggerConfig> attached = new ArrayList<>();

  LogCapture() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    appender = WriterAppender.newBuilder().setName("capture-" + IDS.incrementAndGet())
        .setTarget(out)
        .setLayout(JsonTemplateLayout.newBuilder().setConfiguration(config)
            .setEventTemplateUri("classpath:LambdaJsonLayout.json").build())
        .build();
    appender.start();
    for (String name : List.of("dev.poolshift", "")) {
      LoggerConfig lc = config.getLoggerConfig(name);
      if (!attached.contains(lc)) {
        lc.addAppender(appender, Level.ALL, null);
        attached.add(lc);
      }
    }
    ctx.updateLoggers();
  }

  String text() {
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> lines() {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add((Map<String, Object>) Json.parse(line));
        } catch (Exception e) {
          throw new AssertionError("log line is not JSON: " + line, e);
        }
      }
    }
    return lines;
  }

  @Override
  public void close() {
    attached.forEach(lc -> lc.removeAppender(appender.getName()));
    appender.stop();
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
  }
}
