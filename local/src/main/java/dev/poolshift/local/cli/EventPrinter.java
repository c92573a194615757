package dev.poolshift.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.observe.RuntimeEvent;
import dev.poolshift.local.observe.RuntimeEvents;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What {@code serve} prints while it runs: one line per execution start, state entered and
 * execution end, per function log line and per SNS message (its subject and first lines), each
 * stamped with its virtual time. Events are queued by the publishing thread (a simulation
 * activity, which must not wait on a terminal) and printed and flushed by a daemon thread of
 * their own, within moments of wall time.
 *
 * <p>Events that arrive before {@link #start()} are kept and printed first, so nothing that
 * happens between the clock starting and the banner is lost.
 */
final class EventPrinter implements AutoCloseable {
  /** Longest line printed; the full text is in the CloudWatch Logs API (aws logs tail). */
  static final int MAX_LINE = 400;
  static final int SNS_LINES = 3;
  /**
   * Keys every Powertools (and Lambda JSON-format) log line repeats: the function, the request,
   * the clock. They say nothing the prefix does not, so the compact form leaves them out.
   */
  private static final Set<String> BOILERPLATE = Set.of("timestamp", "time", "service", "function_name",
      "function_arn", "function_memory_size", "function_request_id", "function_version", "cold_start",
      "sampling_rate", "xray_trace_id", "functionName", "functionArn", "functionMemorySize", "functionRequestId",
      "functionVersion", "coldStart", "samplingRate", "xrayTraceId", "requestId", "instant", "loggerName",
      "loggerFqcn", "threadId", "threadPriority", "thread", "logger", "endOfBatch");

  private final BlockingQueue<RuntimeEvent> queue = new LinkedBlockingQueue<>();
  private final PrintStream out;
  private final RuntimeEvents.Subscription subscription;
  private Thread printer;

  EventPrinter(RuntimeEvents events, PrintStream out) {
    this.out = out;
    this.subscription = events.subscribe(queue::add);
  }

  /** Starts printing (the queued events first). */
  synchronized void start() {
    if (printer == null) {
      printer = Thread.ofPlatform().daemon().name("serve-events").start(this::drain);
    }
  }

  private void drain() {
    try {
      while (true) {
        RuntimeEvent event = queue.take();
        do {
          out.println(render(event));
          event = queue.poll();
        } while (event != null);
        out.flush();
      }
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    subscription.close();
    if (printer != null) {
      printer.interrupt();
    }
  }

  /** The console text of one event (an SNS message takes a few lines). */
  static String render(RuntimeEvent event) {
    String at = event.at().truncatedTo(ChronoUnit.SECONDS).toString();
    return switch (event) {
      case RuntimeEvent.ExecutionStarted e -> clip(at + "  execution " + e.name() + " started (" + e.stateMachine()
          + ") input " + compactJson(e.input()));
      case RuntimeEvent.StateEntered e -> clip(at + "  " + e.execution() + " > " + e.state());
      case RuntimeEvent.ExecutionEnded e -> clip(at + "  execution " + e.name() + " " + e.status() + ended(e));
      case RuntimeEvent.LambdaLog e -> clip(at + "  [" + e.functionName() + "] " + compactLine(e.text()));
      case RuntimeEvent.SnsPublished e -> sns(at, e);
    };
  }

  private static String ended(RuntimeEvent.ExecutionEnded e) {
    if (e.status().equals("SUCCEEDED")) {
      JsonNode output = parse(e.output());
      return output != null && output.hasNonNull("outcome") ? ", outcome " + output.get("outcome").asText() : "";
    }
    StringBuilder b = new StringBuilder();
    if (e.error() != null) {
      b.append(", error ").append(e.error());
    }
    if (e.cause() != null) {
      b.append(": ").append(e.cause().replaceAll("\\s+", " "));
    }
    return b.toString();
  }

  private static String sns(String at, RuntimeEvent.SnsPublished e) {
    String topic = e.topicArn().substring(e.topicArn().lastIndexOf(':') + 1);
    List<String> lines = new ArrayList<>();
    lines.add(clip(at + "  sns " + topic + (e.subject() != null ? ": " + e.subject() : "")));
    List<String> body = e.message().lines().filter(l -> !l.isBlank()).toList();
    body.stream().limit(SNS_LINES).forEach(l -> lines.add(clip("      | " + l.strip())));
    if (body.size() > SNS_LINES) {
      lines.add("      | … (" + (body.size() - SNS_LINES) + " more lines)");
    }
    return String.join(System.lineSeparator(), lines);
  }

  /**
   * A log line as a person scans it: a JSON line becomes its level and message followed by its
   * other keys as compact JSON, without the keys every line repeats; other lines are unchanged.
   */
  static String compactLine(String text) {
    JsonNode node = parse(text);
    if (!(node instanceof ObjectNode json)) {
      return text;
    }
    ObjectNode rest = json.deepCopy();
    BOILERPLATE.forEach(rest::remove);
    StringBuilder b = new StringBuilder();
    for (String key : List.of("level", "message")) {
      JsonNode value = rest.remove(key);
      if (value != null && !value.isNull()) {
        if (!b.isEmpty()) {
          b.append(' ');
        }
        b.append(value.isTextual() ? value.textValue() : LocalJson.write(value));
      }
    }
    if (!rest.isEmpty()) {
      b.append(b.isEmpty() ? "" : " ").append(LocalJson.write(rest));
    }
    return b.toString();
  }

  private static String compactJson(String text) {
    JsonNode node = parse(text);
    return node == null ? String.valueOf(text) : LocalJson.write(node);
  }

  private static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) {
      return null;
    }
    try {
      return LocalJson.parse(t);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String clip(String line) {
    String oneLine = line.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= MAX_LINE ? oneLine : oneLine.substring(0, MAX_LINE - 1) + "…";
  }
}
