package dev.poolshift.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link FleetScenario} on a fresh runtime and measures it: wall time (runtime start-up
 * included), peak memory, outcomes per endpoint, SageMaker calls per rollout and, for the bad
 * models, T_act (alarm to the call that puts traffic back).
 */
public final class FleetBenchmark {
  private FleetBenchmark() {}

  /** Executions that failed with one error: how many, and the cause of the first. */
  public record Failure(int count, String exampleCause) {}

  /**
   * What one benchmark run measured.
   *
   * @param peakRssBytes the process's peak resident set (Linux), else the peak heap in use
   * @param outcomes executions per outcome ({@code PROMOTED}, {@code ROLLED_BACK}, …)
   * @param duplicates endpoints that got more than one execution
   * @param withoutExecution endpoints whose approval started no execution
   * @param deadLetters events the functions gave up on (their dead-letter queues)
   * @param failures executions that failed, per error name, with one of their causes
   * @param tActSeconds T_act of every rollback, ascending
   * @param sageMakerRetries the SDK retries the rollouts' ledger entries report, summed
   * @param rateLimitedCalls calls the account's request-rate limits throttled
   * @param callsByOperation the SageMaker calls of the whole fleet per operation (throttled ones included)
   */
  public record Result(FleetScenario fleet, boolean finished, long wallMillis, long peakRssBytes,
      Map<String, Integer> outcomes, int duplicates, int withoutExecution, int deadLetters,
      Map<String, Failure> failures, List<Double> tActSeconds, double virtualSeconds,
      long sageMakerRetries, long rateLimitedCalls, Map<String, Integer> callsByOperation) {

    public Result {
      callsByOperation = Map.copyOf(callsByOperation);
      failures = Map.copyOf(failures);
    }

    /** The SageMaker calls of the whole fleet. */
    public int sageMakerCalls() {
      return callsByOperation.values().stream().mapToInt(Integer::intValue).sum();
    }

    public double rolloutsPerSecond() {
      return fleet.endpoints() / (wallMillis / 1000.0);
    }

    public double callsPerRollout() {
      return (double) sageMakerCalls() / fleet.endpoints();
    }

    /** The {@code p}-th percentile (0–100, nearest rank) of T_act, or NaN without rollbacks. */
    public double tActPercentile(double p) {
      if (tActSeconds.isEmpty()) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * tActSeconds.size());
      return tActSeconds.get(Math.max(0, Math.min(tActSeconds.size() - 1, rank - 1)));
    }

    public ObjectNode json() {
      ObjectNode n = LocalJson.object();
      n.put("endpoints", fleet.endpoints());
      n.put("badModels", fleet.bad());
      n.put("throttleRate", fleet.throttleRate());
      n.put("seed", fleet.seed());
      n.put("finished", finished);
      n.put("wallSeconds", wallMillis / 1000.0);
      n.put("rolloutsPerSecond", round(rolloutsPerSecond()));
      n.put("peakMemoryMb", peakRssBytes / (1024 * 1024));
      n.put("virtualSeconds", virtualSeconds);
      ObjectNode o = n.putObject("outcomes");
      outcomes.forEach(o::put);
      n.put("duplicates", duplicates);
      n.put("withoutExecution", withoutExecution);
      n.put("deadLetters", deadLetters);
      ObjectNode f = n.putObject("failures");
      new TreeMap<>(failures).forEach((error, failure) ->
          f.putObject(error).put("count", failure.count()).put("exampleCause", failure.exampleCause()));
      n.put("sageMakerCalls", sageMakerCalls());
      n.put("callsPerRollout", round(callsPerRollout()));
      ObjectNode ops = n.putObject("callsPerRolloutByOperation");
      new TreeMap<>(callsByOperation).forEach((op, count) -> ops.put(op, round((double) count / fleet.endpoints())));
      n.put("apiLimits", fleet.apiLimits());
      n.put("sageMakerRetries", sageMakerRetries);
      n.put("rateLimitedCalls", rateLimitedCalls);
      ObjectNode t = n.putObject("tActSeconds");
      t.put("count", tActSeconds.size());
      if (!tActSeconds.isEmpty()) {
        t.put("p50", tActPercentile(50));
        t.put("p90", tActPercentile(90));
        t.put("p99", tActPercentile(99));
        t.put("max", tActSeconds.get(tActSeconds.size() - 1));
      }
      return n;
    }

    public String text() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "fleet of %d endpoints (%d bad models, %.0f%% of SageMaker calls throttled,%s seed %d)%n",
          fleet.endpoints(), fleet.bad(), fleet.throttleRate() * 100,
          fleet.apiLimits() ? " default API limits," : "", fleet.seed()));
      b.append(String.format(Locale.ROOT, "  wall             %.1f s%s%n", wallMillis / 1000.0,
          finished ? "" : " (NOT finished within the scenario's limit)"));
      b.append(String.format(Locale.ROOT, "  rollouts/s       %.2f%n", rolloutsPerSecond()));
      b.append(String.format(Locale.ROOT, "  peak memory      %d MB%n", peakRssBytes / (1024 * 1024)));
      b.append(String.format(Locale.ROOT, "  virtual time     %.0f s%n", virtualSeconds));
      b.append("  outcomes         ").append(outcomes).append(duplicates == 0 ? ", no duplicates"
          : ", " + duplicates + " endpoints with more than one execution");
      if (withoutExecution > 0 || deadLetters > 0) {
        b.append(", ").append(withoutExecution).append(" endpoints without an execution, ").append(deadLetters)
            .append(" events in dead-letter queues");
      }
      b.append('\n');
      new TreeMap<>(failures).forEach((error, failure) -> b.append("  failed           ").append(failure.count())
          .append(" x ").append(error).append(", e.g. ").append(failure.exampleCause()).append('\n'));
      b.append(String.format(Locale.ROOT, "  calls/rollout    %.1f SageMaker calls (throttled ones included)%n",
          callsPerRollout()));
      b.append(String.format(Locale.ROOT, "  retries          %d SDK retries in the ledger (%.1f per rollout), %d calls over the API limits%n",
          sageMakerRetries, (double) sageMakerRetries / fleet.endpoints(), rateLimitedCalls));
      if (tActSeconds.isEmpty()) {
        b.append("  T_act            no rollbacks\n");
      } else {
        b.append(String.format(Locale.ROOT, "  T_act            p50 %.2f s, p90 %.2f s, p99 %.2f s, max %.2f s (%d rollbacks)%n",
            tActPercentile(50), tActPercentile(90), tActPercentile(99), tActSeconds.get(tActSeconds.size() - 1),
            tActSeconds.size()));
      }
      return b.toString();
    }

    private static double round(double x) {
      return Math.round(x * 100) / 100.0;
    }
  }

  /** Runs {@code fleet} with the template under {@code root}, same-instant work in parallel. */
  public static Result run(FleetScenario fleet, Path root) {
    return run(fleet, root, true, false);
  }

  /**
   * Runs {@code fleet}; {@code concurrentInstants} lets the rollouts that move in lockstep use
   * every core ({@link dev.poolshift.local.sim.Simulation#discreteConcurrent}); {@code loopback}
   * sends the functions' SDK calls over the loopback socket instead of straight to the gateway.
   */
  public static Result run(FleetScenario fleet, Path root, boolean concurrentInstants, boolean loopback) {
    long wallStart = System.nanoTime();
    try (PeakMemory memory = PeakMemory.start()) {
      Scenario scenario = Scenario.parse(fleet.json(), "bench", root);
      ScenarioReport report;
      Map<String, Integer> calls;
      long retries;
      long rateLimited;
      int deadLetters;
      try (LocalRuntime runtime = ScenarioRunner.start(scenario,
          LocalRuntime.Options.of(scenario.template()).withConcurrentInstants(concurrentInstants)
              .withLoopback(loopback))) {
        report = ScenarioRunner.runToEnd(scenario, runtime, wallStart);
        calls = runtime.sageMaker().callsByOperation();
        retries = ledgerRetries(runtime);
        rateLimited = runtime.sageMaker().rateLimitedCalls();
        deadLetters = runtime.lambda().deadLetterMessages().size();
      }
      long wall = (System.nanoTime() - wallStart) / 1_000_000;
      JsonNode json = report.json();
      Map<String, Integer> outcomes = new TreeMap<>();
      Map<String, Integer> perEndpoint = new TreeMap<>();
      Map<String, Failure> failures = new TreeMap<>();
      for (JsonNode e : json.path("executions")) {
        // A rollback ends its execution with an error too; it is an outcome, not a failure.
        if (e.path("error").isTextual() && !"ROLLED_BACK".equals(e.path("outcome").asText())) {
          String cause = e.path("cause").asText("");
          failures.merge(e.path("error").asText(), new Failure(1, cause.length() > 200 ? cause.substring(0, 200) + "…" : cause),
              (a, b) -> new Failure(a.count() + 1, a.exampleCause()));
        }
        outcomes.merge(e.path("outcome").asText(e.path("status").asText()), 1, Integer::sum);
        String endpoint = e.path("output").path("endpointName").asText(endpointOf(e.path("name").asText()));
        perEndpoint.merge(endpoint, 1, Integer::sum);
      }
      int duplicates = (int) perEndpoint.values().stream().filter(c -> c > 1).count();
      int withoutExecution = 0;
      for (var it = json.path("endpoints").fieldNames(); it.hasNext(); ) {
        if (!perEndpoint.containsKey(it.next())) {
          withoutExecution++;
        }
      }
      List<Double> tAct = new ArrayList<>();
      for (JsonNode r : json.path("rollbacks")) {
        if (r.path("tActSeconds").isNumber()) {
          tAct.add(r.path("tActSeconds").asDouble());
        }
      }
      tAct.sort(null);
      return new Result(fleet, json.path("finished").asBoolean(), wall, memory.peak(), outcomes, duplicates,
          withoutExecution, deadLetters, failures, List.copyOf(tAct), json.path("virtualSeconds").asDouble(), retries, rateLimited, calls);
    }
  }

  /** The {@code sageMakerRetries} of every ledger entry, summed (the table scanned page by page). */
  private static long ledgerRetries(LocalRuntime runtime) {
    String table = runtime.template().table("LedgerTable").name();
    long sum = 0;
    JsonNode start = null;
    do {
      ObjectNode scan = LocalJson.object().put("TableName", table);
      if (start != null) {
        scan.set("ExclusiveStartKey", start);
      }
      JsonNode page = runtime.dynamoDb().call("Scan", scan);
      for (JsonNode item : page.path("Items")) {
        sum += item.path("details").path("M").path("sageMakerRetries").path("N").asLong(0);
      }
      start = page.get("LastEvaluatedKey");
    } while (start != null && !start.isEmpty());
    return sum;
  }

  /** {@code fleet-007-v2-…} → {@code fleet-007-prod}. */
  private static String endpointOf(String execution) {
    int i = execution.indexOf("-v");
    return i < 0 ? execution : execution.substring(0, i) + "-prod";
  }

  /** The process's peak resident set (VmHWM) on Linux; elsewhere the heap's peak use, sampled. */
  private static final class PeakMemory implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");

    static PeakMemory start() {
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      return new PeakMemory();
    }

    long peak() {
      try {
        for (String line : Files.readAllLines(STATUS)) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException notLinux) {
        // fall through to the heap's own peak
      }
      return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    @Override
    public void close() {}
  }
}
