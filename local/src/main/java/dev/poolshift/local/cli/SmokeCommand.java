package dev.poolshift.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelPackageResponse;
import software.amazon.awssdk.services.sagemaker.model.ModelApprovalStatus;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageSortBy;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageSummary;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageType;
import software.amazon.awssdk.services.sagemaker.model.SortOrder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * {@code smoke}: the deployment-pipeline smoke test ("Approval rule without a target" in
 * docs/situations.md). After {@code sam deploy} into a test account it proves the approval path
 * end to end: it registers a new version of a test model package group (a copy of the group's
 * latest Approved version), approves it, and waits for the stack's state machine to start an
 * execution for exactly that package. An approval
 * rule without targets, a disabled rule, an intake function that cannot start executions or a
 * group without a deployment profile all show up as FAIL (exit 1) instead of as a silent
 * non-deployment in production.
 *
 * <p>It touches nothing but the named group (one new version) and, with {@code --stop}, the one
 * execution it found. Polling is on the wall clock against real services; tests pass a
 * {@link Pacer} on the local runtime's virtual clock instead.
 */
final class SmokeCommand {
  static final String USAGE = """
      usage: smoke --state-machine-arn ARN --model-package-group NAME [--endpoint-url URL] [--region R]
                   [--timeout-seconds 60] [--stop] [--json]""";

  static final int PASS = 0;
  static final int FAIL = 1;
  static final int ERROR = 2;

  private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
  /** Executions that started this long before the approval cannot be its rollout; listing stops there. */
  private static final Duration LOOKBACK = Duration.ofSeconds(60);
  private static final int MAX_LIST_PAGES = 10;

  private SmokeCommand() {}

  /** How the smoke test reads time and waits between polls. */
  interface Pacer {
    Instant now();

    void pause(Duration duration) throws InterruptedException;

    static Pacer wallClock() {
      return new Pacer() {
        @Override
        public Instant now() {
          return Instant.now();
        }

        @Override
        public void pause(Duration duration) throws InterruptedException {
          Thread.sleep(duration);
        }
      };
    }
  }

  record Options(String stateMachineArn, String group, URI endpointUrl, String region, Duration timeout,
      boolean stop, boolean json) {}

  /** A precondition the smoke test cannot run without (exit 2). */
  static final class SmokeException extends RuntimeException {
    SmokeException(String message) {
      super(message);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Pacer.wallClock());
  }

  static int run(String[] args, PrintStream out, PrintStream err, Pacer pacer) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("smoke: " + e.getMessage() + "\n" + USAGE);
      return ERROR;
    }
    Report report = new Report(options);
    try (SageMakerClient sageMaker = SageMakerClient.builder().httpClient(UrlConnectionHttpClient.create())
            .applyMutation(b -> configure(b, options)).build();
        SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create())
            .applyMutation(b -> configure(b, options)).build()) {
      return new Smoke(options, sageMaker, sfn, pacer, options.json() ? null : out, report).run();
    } catch (SmokeException e) {
      return report.error(e.getMessage(), err);
    } catch (SdkClientException e) {
      return report.error("cannot call AWS (" + e.getMessage() + "); check the credentials, the Region"
          + (options.endpointUrl() == null ? "" : " and that " + options.endpointUrl() + " is up"), err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report.error("interrupted while waiting for the execution", err);
    } finally {
      report.print(out);
    }
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> void configure(
      B builder, Options options) {
    builder.region(Region.of(region(options)));
    if (options.endpointUrl() != null) {
      builder.endpointOverride(options.endpointUrl());
      // A local runtime accepts any signature; a machine without AWS credentials can still use it.
      builder.credentialsProvider(AwsCredentialsProviderChain.builder().credentialsProviders(
          DefaultCredentialsProvider.builder().build(),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("poolshift-smoke", "poolshift-smoke"))).build());
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
  }

  private static String region(Options options) {
    if (options.region() != null) {
      return options.region();
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      if (options.endpointUrl() != null) {
        return "us-east-1";
      }
      throw new SmokeException("no AWS Region: pass --region or set AWS_REGION");
    }
  }

  static Options parse(String[] args) {
    String machine = null;
    String group = null;
    URI endpoint = null;
    String region = null;
    long timeout = 60;
    boolean stop = false;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--state-machine-arn" -> machine = value(args, ++i, a);
        case "--model-package-group" -> group = value(args, ++i, a);
        case "--endpoint-url" -> {
          String v = value(args, ++i, a);
          try {
            endpoint = new URI(v);
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--endpoint-url: not a URL (" + v + ")");
          }
          if (endpoint.getScheme() == null || endpoint.getHost() == null) {
            throw new IllegalArgumentException("--endpoint-url: needs a scheme and host, e.g. http://127.0.0.1:4566 (got " + v + ")");
          }
        }
        case "--region" -> region = value(args, ++i, a);
        case "--timeout-seconds" -> {
          String v = value(args, ++i, a);
          try {
            timeout = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout-seconds: not a whole number (" + v + ")");
          }
          if (timeout < 1 || timeout > 3600) {
            throw new IllegalArgumentException("--timeout-seconds: must be 1–3600 (got " + v + ")");
          }
        }
        case "--stop" -> stop = true;
        case "--json" -> json = true;
        default -> throw new IllegalArgumentException("unexpected argument " + a);
      }
    }
    if (machine == null) {
      throw new IllegalArgumentException("--state-machine-arn: required (the stack's RolloutStateMachineArn output)");
    }
    if (!machine.startsWith("arn:") || !machine.contains(":stateMachine:")) {
      throw new IllegalArgumentException("--state-machine-arn: must be arn:<partition>:states:<region>:<account>:stateMachine:<name> (got " + machine + ")");
    }
    if (group == null) {
      throw new IllegalArgumentException("--model-package-group: required (a test group with a deployment profile)");
    }
    return new Options(machine, group, endpoint, region, Duration.ofSeconds(timeout), stop, json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + ": needs a value");
    }
    return args[i];
  }

  /** One run: check the preconditions, register and approve a version, wait for its execution. */
  private static final class Smoke {
    private final Options o;
    private final SageMakerClient sageMaker;
    private final SfnClient sfn;
    private final Pacer pacer;
    private final PrintStream progress;
    private final Report report;

    Smoke(Options o, SageMakerClient sageMaker, SfnClient sfn, Pacer pacer, PrintStream progress, Report report) {
      this.o = o;
      this.sageMaker = sageMaker;
      this.sfn = sfn;
      this.pacer = pacer;
      this.progress = progress;
      this.report = report;
    }

    int run() throws InterruptedException {
      call("states:DescribeStateMachine", "state machine " + o.stateMachineArn(),
          () -> sfn.describeStateMachine(b -> b.stateMachineArn(o.stateMachineArn())));
      call("sagemaker:DescribeModelPackageGroup", "model package group '" + o.group() + "'",
          () -> sageMaker.describeModelPackageGroup(b -> b.modelPackageGroupName(o.group())));
      List<ModelPackageSummary> approved = call("sagemaker:ListModelPackages", "model package group '" + o.group() + "'",
          () -> sageMaker.listModelPackages(b -> b.modelPackageGroupName(o.group())
              .modelPackageType(ModelPackageType.VERSIONED).modelApprovalStatus(ModelApprovalStatus.APPROVED)
              .sortBy(ModelPackageSortBy.CREATION_TIME).sortOrder(SortOrder.DESCENDING).maxResults(1)))
          .modelPackageSummaryList();
      if (approved.isEmpty()) {
        throw new SmokeException("model package group '" + o.group() + "' has no Approved version to copy;"
            + " approve one version of the test group once by hand, then run the smoke test");
      }
      String source = approved.getFirst().modelPackageArn();
      DescribeModelPackageResponse template = call("sagemaker:DescribeModelPackage", "model package " + source,
          () -> sageMaker.describeModelPackage(b -> b.modelPackageName(source)));
      if (template.inferenceSpecification() == null) {
        throw new SmokeException("model package " + source + " has no InferenceSpecification to copy");
      }
      Instant stamp = pacer.now();
      String created = call("sagemaker:CreateModelPackage", "model package group '" + o.group() + "'",
          () -> sageMaker.createModelPackage(b -> {
            b.modelPackageGroupName(o.group())
                .modelPackageDescription("Poolshift smoke test " + stamp + ": synthetic approval checking that an"
                    + " approval starts a rollout; a copy of " + source)
                .inferenceSpecification(template.inferenceSpecification())
                .modelApprovalStatus(ModelApprovalStatus.PENDING_MANUAL_APPROVAL)
                .customerMetadataProperties(Map.of("poolshift-smoke-test", stamp.toString()));
            if (template.hasAdditionalInferenceSpecifications()) {
              // Pools in the deployment profile may name these (an int8 build per instance family).
              b.additionalInferenceSpecifications(template.additionalInferenceSpecifications());
            }
          })).modelPackageArn();
      report.put("copiedFrom", source).put("modelPackageArn", created);
      say("registered %s (a copy of %s)", created, source);

      Instant approvedAtClient = pacer.now();
      call("sagemaker:UpdateModelPackage", "model package " + created,
          () -> sageMaker.updateModelPackage(b -> b.modelPackageArn(created)
              .modelApprovalStatus(ModelApprovalStatus.APPROVED)
              .approvalDescription("Poolshift smoke test " + stamp)));
      // The registry's own time of the approval: execution start dates come from the same side.
      Instant approvedAt = Optional.ofNullable(call("sagemaker:DescribeModelPackage", "model package " + created,
          () -> sageMaker.describeModelPackage(b -> b.modelPackageName(created))).lastModifiedTime())
          .orElse(approvedAtClient);
      say("approved it; waiting up to %d s for an execution of %s", o.timeout().toSeconds(), o.stateMachineArn());

      Optional<ExecutionListItem> found = await(created, approvedAt, approvedAtClient.plus(o.timeout()));
      if (found.isEmpty()) {
        String message = "FAIL: no execution for " + created + " within " + o.timeout().toSeconds() + " s — check"
            + " the approval rule's targets (the stack's ApprovalIntakeFunctionPackageApproved rule must target"
            + " ApprovalIntakeFunction), the intake function's errors (ApprovalIntakeFunction's log group) and"
            + " its DLQ (IntakeDeadLetterQueue), and that group '" + o.group() + "' has a deployment profile"
            + " under the stack's ProfileParameterPrefix";
        report.put("result", "FAIL").put("message", message);
        if (progress != null) {
          progress.println(message);
        }
        return FAIL;
      }
      ExecutionListItem execution = found.get();
      double seconds = Duration.between(approvedAt, execution.startDate()).toMillis() / 1000.0;
      String message = String.format(Locale.ROOT, "PASS: execution %s started %.1f s after the approval",
          execution.name(), seconds);
      report.put("result", "PASS").put("message", message).put("executionArn", execution.executionArn())
          .put("executionName", execution.name()).put("secondsAfterApproval", seconds);
      if (progress != null) {
        progress.println(message);
      }
      if (o.stop()) {
        call("states:StopExecution", "execution " + execution.executionArn(),
            () -> sfn.stopExecution(b -> b.executionArn(execution.executionArn()).error("Poolshift.SmokeTest")
                .cause("smoke test finished: " + created + " was a synthetic approval")));
        report.put("stopped", true);
        say("stopped %s; the stack's reconciler returns the endpoint to its baseline", execution.name());
      }
      return PASS;
    }

    /** Polls until an execution whose input names {@code packageArn} appears, or the deadline passes. */
    private Optional<ExecutionListItem> await(String packageArn, Instant approvedAt, Instant deadline)
        throws InterruptedException {
      Set<String> examined = new HashSet<>();
      while (true) {
        Optional<ExecutionListItem> hit = findExecution(packageArn, approvedAt, examined);
        if (hit.isPresent()) {
          return hit;
        }
        Instant now = pacer.now();
        if (!now.isBefore(deadline)) {
          return Optional.empty();
        }
        Duration left = Duration.between(now, deadline);
        pacer.pause(left.compareTo(POLL_INTERVAL) < 0 ? left : POLL_INTERVAL);
      }
    }

    private Optional<ExecutionListItem> findExecution(String packageArn, Instant approvedAt, Set<String> examined) {
      Instant oldest = approvedAt.minus(LOOKBACK);
      String token = null;
      for (int page = 0; page < MAX_LIST_PAGES; page++) {
        String next = token;
        ListExecutionsResponse listed = call("states:ListExecutions", "state machine " + o.stateMachineArn(),
            () -> sfn.listExecutions(b -> b.stateMachineArn(o.stateMachineArn()).maxResults(100).nextToken(next)));
        // Newest first: once an execution is older than the approval, the rest are too.
        for (ExecutionListItem e : listed.executions()) {
          if (e.startDate() != null && e.startDate().isBefore(oldest)) {
            return Optional.empty();
          }
          if (examined.add(e.executionArn()) && namesPackage(e.executionArn(), packageArn)) {
            return Optional.of(e);
          }
        }
        token = listed.nextToken();
        if (token == null) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    }

    private boolean namesPackage(String executionArn, String packageArn) {
      String input = call("states:DescribeExecution", "execution " + executionArn,
          () -> sfn.describeExecution(b -> b.executionArn(executionArn))).input();
      if (input == null) {
        return false;
      }
      JsonNode doc;
      try {
        doc = LocalJson.parse(input);
      } catch (RuntimeException e) {
        return false;
      }
      // ARNs compare case-insensitively: the registry lower-cases the group part.
      return packageArn.equalsIgnoreCase(doc.path("modelPackageArn").asText(""));
    }

    private void say(String format, Object... args) {
      if (progress != null) {
        progress.printf("smoke: " + format + "%n", args);
      }
    }

    /** One AWS call; a refusal becomes a message naming the action and what it was about. */
    private static <T> T call(String action, String subject, Supplier<T> request) {
      try {
        return request.get();
      } catch (AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String detail = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        if (code.contains("AccessDenied") || code.equals("UnauthorizedOperation") || e.statusCode() == 403) {
          throw new SmokeException("access denied for " + action + " on " + subject + " (" + detail + ")");
        }
        if (code.equals("StateMachineDoesNotExist") || code.equals("ResourceNotFound")
            || detail != null && detail.contains("does not exist")) {
          throw new SmokeException(subject + " not found (" + action + ": " + detail + ")");
        }
        throw new SmokeException(action + " on " + subject + " failed: " + code + " " + detail);
      }
    }
  }

  /** What a run found; printed as JSON with {@code --json}. */
  private static final class Report {
    private final Options options;
    private final ObjectNode doc = LocalJson.object();

    Report(Options options) {
      this.options = options;
      doc.put("stateMachineArn", options.stateMachineArn());
      doc.put("modelPackageGroup", options.group());
      doc.put("timeoutSeconds", options.timeout().toSeconds());
      doc.put("stopped", false);
    }

    Report put(String field, String value) {
      doc.put(field, value);
      return this;
    }

    Report put(String field, double value) {
      doc.put(field, value);
      return this;
    }

    Report put(String field, boolean value) {
      doc.put(field, value);
      return this;
    }

    int error(String message, PrintStream err) {
      doc.put("result", "ERROR");
      doc.put("message", message);
      err.println("smoke: " + message);
      return ERROR;
    }

    void print(PrintStream out) {
      if (options.json()) {
        out.println(LocalJson.write(doc));
      }
      out.flush();
    }
  }
}
