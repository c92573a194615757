package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.LocalClients;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code serve} prints what happens as it happens: executions, states, function log lines and SNS
 * messages reach its standard output within moments of wall time; {@code --quiet} leaves only
 * the banner and the clock.
 */
class ServeWatchTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @Test
  void serveTellsEachExecutionItsStatesItsFunctionsLogLinesAndSnsMessagesAsTheyHappen() throws Exception {
    try (Served served = Served.start("--port", "0", "--speed", "60")) {
      String machine;
      try (SfnClient sfn = LocalClients.against(SfnClient.builder(), served.endpoint())) {
        machine = sfn.listStateMachines().stateMachines().getFirst().stateMachineArn();
        sfn.startExecution(b -> b.stateMachineArn(machine).name("watch-1").input("{}"));
      }
      served.publishSns("Rollout promoted", "fraud-scoring v2 serves all traffic\nsecond line");

      served.await(l -> l.matches(".*execution watch-1 (SUCCEEDED|FAILED).*"));
      served.await(l -> l.contains("sns poolshift") && l.endsWith(": Rollout promoted"));
      served.await(l -> l.endsWith("| fraud-scoring v2 serves all traffic"));

      assertThat(served.lines()).anyMatch(l -> l.matches("\\S+Z  execution watch-1 started \\(\\S+\\) input \\{}"))
          .anyMatch(l -> l.matches("\\S+Z  watch-1 > .+"))
          .anyMatch(l -> l.matches("\\S+Z  \\[\\S+] START RequestId: \\S+ Version: .*"));
    }
  }

  @Test
  void quietServePrintsOnlyTheBannerAndTheClock() throws Exception {
    Served served = Served.start("--port", "0", "--speed", "60", "--quiet");
    try (served) {
      try (SfnClient sfn = LocalClients.against(SfnClient.builder(), served.endpoint())) {
        String machine = sfn.listStateMachines().stateMachines().getFirst().stateMachineArn();
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("quiet-1").input("{}")).executionArn();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (sfn.describeExecution(b -> b.executionArn(arn)).status() == ExecutionStatus.RUNNING
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      served.publishSns("Rollout promoted", "body");
    }

    // serve has returned: everything it printed is in.
    assertThat(served.lines()).anyMatch(l -> l.equals("Ctrl-C to stop."))
        .noneMatch(l -> l.contains("quiet-1") || l.contains("sns ") || l.contains("] START RequestId"));
  }

  /** {@code serve} on a thread of the test, its output collected line by line. */
  private static final class Served implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready on (http://127\\.0\\.0\\.1:\\d+)");
    private final Lines lines = new Lines();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int exitCode = -1;

    private Served(String... args) {
      PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
      thread = Thread.ofPlatform().name("serve-under-test").start(() ->
          exitCode = ServeCommand.serve(args, out, new PrintStream(err, true, StandardCharsets.UTF_8), stop, false));
    }

    static Served start(String... args) throws InterruptedException {
      Served s = new Served(args);
      s.await(l -> l.startsWith("Ctrl-C to stop."));
      return s;
    }

    URI endpoint() {
      for (String l : lines.all()) {
        Matcher m = READY.matcher(l);
        if (m.find()) {
          return URI.create(m.group(1));
        }
      }
      throw new AssertionError("no banner in " + lines.all());
    }

    List<String> lines() {
      return lines.all();
    }

    void await(Predicate<String> line) throws InterruptedException {
      assertThat(lines.await(line, WITHIN)).as("within %s, a line like that among:%n%s%s", WITHIN,
          String.join("\n", lines.all()), err).isTrue();
    }

    /** Publishes on the template's topic over the SNS Query API, as any SNS client would. */
    void publishSns(String subject, String message) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String topics = query(http, "Action=ListTopics&Version=2010-03-31");
      Matcher arn = Pattern.compile("<TopicArn>([^<]+)</TopicArn>").matcher(topics);
      assertThat(arn.find()).as(topics).isTrue();
      query(http, "Action=Publish&Version=2010-03-31&TopicArn=" + enc(arn.group(1)) + "&Subject=" + enc(subject)
          + "&Message=" + enc(message));
    }

    private String query(HttpClient http, String form) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
          .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/sns/aws4_request, "
              + "SignedHeaders=host, Signature=0")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build();
      HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      return reply.body();
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
      stop.countDown();
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(thread.isAlive()).as("serve returned").isFalse();
      assertThat(exitCode).as(err.toString()).isZero();
    }
  }

  /** An output stream that splits what is written into lines and lets a reader wait for one. */
  private static final class Lines extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final List<String> lines = new java.util.ArrayList<>();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(pending.toString(StandardCharsets.UTF_8).stripTrailing());
        pending.reset();
        notifyAll();
      } else {
        pending.write(b);
      }
    }

    synchronized List<String> all() {
      return List.copyOf(lines);
    }

    synchronized boolean await(Predicate<String> wanted, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (lines.stream().noneMatch(wanted)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }
}
