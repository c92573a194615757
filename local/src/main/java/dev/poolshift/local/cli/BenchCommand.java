package dev.poolshift.local.cli;

import dev.poolshift.local.bench.FleetBenchmark;
import dev.poolshift.local.bench.FleetScenario;
import dev.poolshift.local.json.LocalJson;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench N [--bad K] [--throttle RATE] [--api-limits] [--seed S] [--sequential] [--loopback] [--json]}: N endpoints
 * approved at the same instant, rehearsed in this process; prints rollouts per second, wall time, peak memory,
 * SageMaker calls per rollout, SDK retries and T_act percentiles; {@code --api-limits} holds the
 * calls to the account's default request-rate limits. Work due at the same virtual instant runs
 * in parallel unless {@code --sequential} (the order every rehearsal keeps); the functions' SDK
 * calls reach the local services without a socket unless {@code --loopback}.
 */
final class BenchCommand {
  static final String USAGE = "usage: bench N [--bad K] [--throttle RATE] [--api-limits] [--seed S] [--sequential] [--loopback] [--json]";

  private BenchCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Integer n = null;
    int bad = 0;
    double throttle = 0;
    long seed = 1;
    boolean json = false;
    boolean sequential = false;
    boolean apiLimits = false;
    boolean loopback = false;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--json" -> json = true;
          case "--sequential" -> sequential = true;
          case "--api-limits" -> apiLimits = true;
          case "--loopback" -> loopback = true;
          case "--bad" -> bad = Integer.parseInt(value(args, ++i, a));
          case "--throttle" -> throttle = Double.parseDouble(value(args, ++i, a));
          case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
          default -> {
            if (a.startsWith("--") || n != null) {
              err.println("bench: unexpected " + a + "\n" + USAGE);
              return 2;
            }
            n = Integer.parseInt(a);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (n == null) {
      err.println(USAGE);
      return 2;
    }
    FleetScenario fleet;
    try {
      fleet = new FleetScenario(n, bad, throttle, seed, apiLimits);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return 2;
    }
    Path root = Path.of("").toAbsolutePath();
    if (!Files.isRegularFile(root.resolve("template.yaml"))) {
      err.println("bench: run it from the repository's root (no template.yaml in " + root + ")");
      return 2;
    }
    FleetBenchmark.Result result = FleetBenchmark.run(fleet, root, !sequential, loopback);
    out.print(json ? LocalJson.pretty(result.json()) + "\n" : result.text());
    return result.finished() ? 0 : 1;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
