package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.http.RequestAuthorizer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM in the rehearsal: every request the local services receive is authorized against the
 * identity-based policies of the role that signed it, before the service runs it.
 *
 * <p><b>Who is calling.</b> The SigV4 {@code Authorization} header names the access key id; each
 * function and state machine has its own ({@link Identities}). A request signed with any other
 * key (a person's CLI against {@code serve}) is let through unevaluated, as an administrator's
 * would be, unless the rehearsal rejects unknown credentials ({@link UnknownCallers#REJECT}).
 *
 * <p><b>What is asked.</b> Each service's {@link ServiceRequests} turns the operation into the
 * action(s), resource ARN(s) and condition keys AWS authorizes; the caller's own keys are added
 * ({@link #callerKeys}). An operation without such a description is refused, never let through.
 *
 * <p><b>The answer.</b> {@link PolicyEvaluator}; a denied request gets the service's
 * AccessDenied error in its protocol ({@link AccessDenied}) and nothing happens in the service.
 * In {@link Mode#REPORT} nothing is refused, but every verdict is still recorded.
 *
 * <p>Not modelled: service control policies, permission boundaries, session policies, resource-
 * based policies (a Lambda function's permission for EventBridge, the queue policy of a DLQ) and
 * the trust policies of roles.
 */
public final class Iam implements RequestAuthorizer {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

  /** Whether a denial is enforced or only recorded. */
  public enum Mode { ENFORCE, REPORT }

  /** What happens to a request signed with credentials that are not a function's or state machine's. */
  public enum UnknownCallers {
    /** Let through unevaluated (a person with administrator rights). */
    ADMIN,
    /** Refused as AWS refuses an access key it does not know. */
    REJECT
  }

  /**
   * What the request contexts need from the simulated world.
   *
   * @param sageMakerTags tags of a SageMaker resource by ARN (empty when none or missing)
   * @param alarmTags tags of a CloudWatch alarm by name, empty when there is no such alarm
   * @param partitionKeyOf a DynamoDB table's partition key attribute by name, or null
   * @param scalableTargets the ARN of a scalable target
   */
  public record Lookups(Function<String, Map<String, String>> sageMakerTags,
      Function<String, Optional<Map<String, String>>> alarmTags, Function<String, String> partitionKeyOf,
      ScalableTargets scalableTargets) {}

  /** The ARN of the scalable target for (namespace, resource id, dimension). */
  @FunctionalInterface
  public interface ScalableTargets {
    String arn(String namespace, String resourceId, String dimension);
  }

  private final Identities identities;
  private final AwsContext aws;
  private final Supplier<Instant> clock;
  private final Instant credentialsIssued;
  private final Map<String, ServiceRequests> services = new HashMap<>();
  /** Appended on every call (thousands per rehearsal): a synchronized list, not a copy-on-write one. */
  private final List<Evaluation> evaluations = Collections.synchronizedList(new ArrayList<>());
  /**
   * The denied ones among {@link #evaluations}, in the same order: a rehearsal's live timeline
   * asks for them at every virtual instant, and filtering every call made so far each time grew
   * with the square of a fleet's size.
   */
  private final List<Evaluation> denials = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger declaredDenials = new AtomicInteger();
  private volatile Mode mode = Mode.ENFORCE;
  private volatile UnknownCallers unknownCallers = UnknownCallers.ADMIN;

  public Iam(Identities identities, Supplier<Instant> clock, Lookups lookups) {
    this.identities = identities;
    this.aws = identities.aws();
    this.clock = clock;
    this.credentialsIssued = clock.get();
    for (ServiceRequests s : List.of(new SageMakerRequests(aws, lookups.sageMakerTags()),
        new CloudWatchRequests(aws, lookups.alarmTags()), new DynamoDbRequests(aws, lookups.partitionKeyOf()),
        new ApplicationAutoScalingRequests(lookups.scalableTargets()), new StepFunctionsRequests(),
        new SnsRequests(aws), new SsmRequests(aws), new ServiceQuotasRequests(aws), new EventsRequests(aws))) {
      services.put(s.signingName(), s);
    }
  }

  public Identities identities() {
    return identities;
  }

  public Mode mode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public void setUnknownCallers(UnknownCallers unknownCallers) {
    this.unknownCallers = unknownCallers;
  }

  /**
   * Adds an explicit Deny of {@code action} (wildcards allowed) on {@code resource} ({@code *}
   * when null) to the role of a function or state machine: the rehearsal's way of declaring a
   * role that lacks a permission. Returns the policy's name.
   */
  public String deny(String logicalId, String action, String resource) {
    identities.principal(logicalId);
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", "RehearsalDeny");
    statement.put("Effect", "Deny");
    statement.put("Action", action);
    statement.put("Resource", resource == null ? "*" : resource);
    String name = "rehearsal denial " + declaredDenials.incrementAndGet() + " (" + action + ")";
    identities.attach(logicalId, PolicyDocument.parse(name, Map.of("Version", PolicyDocument.CURRENT,
        "Statement", List.of(statement))));
    return name;
  }

  /** Every verdict so far, oldest first. */
  public List<Evaluation> evaluations() {
    synchronized (evaluations) {
      return List.copyOf(evaluations);
    }
  }

  /** The checks that refused (or, in report mode, would have refused) a request. */
  public List<Evaluation> denials() {
    synchronized (evaluations) {
      return List.copyOf(denials);
    }
  }

  private void record(Evaluation evaluation) {
    synchronized (evaluations) {
      evaluations.add(evaluation);
      if (evaluation.denied()) {
        denials.add(evaluation);
      }
    }
  }

  /** Wall time spent deciding, for measuring what IAM costs a rehearsal. */
  public Duration cost() {
    return Duration.ofNanos(nanos.get());
  }

  // ------------------------------------------------------------------ requests over the gateway

  @Override
  public HttpReply authorize(AwsService service, HttpCall call) {
    long start = System.nanoTime();
    try {
      return decide(service.signingName(), call);
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  private HttpReply decide(String signingName, HttpCall call) {
    Instant now = clock.get();
    String key = accessKeyId(call);
    Optional<Principal> caller = key == null ? Optional.empty() : identities.byAccessKeyId(key);
    WireRequest request = WireRequest.decode(call);
    String operation = request == null ? null : request.operation();
    if (caller.isEmpty()) {
      String who = key == null ? "(unsigned)" : key;
      if (unknownCallers == UnknownCallers.REJECT && request != null) {
        record(new Evaluation(now, who, signingName, operation, null, null,
            Evaluation.Verdict.UNRECOGNIZED, null, null, "The security token included in the request is invalid."));
        return AccessDenied.unrecognized(signingName, request);
      }
      record(new Evaluation(now, who, signingName, operation, null, null, Evaluation.Verdict.NOT_EVALUATED,
          null, null, null));
      return null;
    }
    Principal p = caller.get();
    if (request == null) {
      record(new Evaluation(now, p.logicalId(), signingName, null, null, null,
          Evaluation.Verdict.UNREADABLE, null, null, null));
      return null;
    }
    List<Authorization> checks;
    try {
      ServiceRequests described = services.get(signingName);
      if (described == null) {
        throw new UnmappedOperationException(signingName, operation);
      }
      checks = described.authorizations(request);
    } catch (UnmappedOperationException e) {
      String message = "User: " + p.assumedRoleArn(aws) + " is not authorized to perform: " + signingName + " "
          + operation + " (" + e.getMessage() + ", so the rehearsal refuses it)";
      record(new Evaluation(now, p.logicalId(), signingName, operation, null, null,
          Evaluation.Verdict.UNMAPPED, null, null, message));
      return mode == Mode.ENFORCE ? AccessDenied.reply(signingName, request, message) : null;
    } catch (RuntimeException unreadable) {
      // A missing or mistyped member: the service answers with its own validation error.
      record(new Evaluation(now, p.logicalId(), signingName, operation, null, null,
          Evaluation.Verdict.UNREADABLE, null, null, String.valueOf(unreadable.getMessage())));
      return null;
    }
    RequestContext own = callerKeys(p, now);
    for (Authorization a : checks) {
      Evaluation e = evaluate(p, own, a, signingName, operation, now);
      if (e.denied() && mode == Mode.ENFORCE) {
        return AccessDenied.reply(signingName, request, e.message());
      }
    }
    return null;
  }

  private Evaluation evaluate(Principal p, RequestContext own, Authorization a, String service, String operation,
      Instant now) {
    RequestContext context = new RequestContext(own).merge(a.context());
    PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(p.policies(), a.action(), a.resource(), context);
    Evaluation.Verdict verdict = switch (d.outcome()) {
      case ALLOWED -> Evaluation.Verdict.ALLOWED;
      case IMPLICITLY_DENIED -> Evaluation.Verdict.IMPLICITLY_DENIED;
      case EXPLICITLY_DENIED -> Evaluation.Verdict.EXPLICITLY_DENIED;
    };
    String message = d.allowed() ? null : AccessDenied.message(p.assumedRoleArn(aws), a.action(), a.resource(),
        d.outcome() == PolicyEvaluator.Outcome.EXPLICITLY_DENIED, service);
    Evaluation e = new Evaluation(now, p.logicalId(), service, operation, a.action(), a.resource(), verdict,
        d.policy() == null ? null : d.policy().name(), d.statement() == null ? null : d.statement().label(), message);
    record(e);
    return e;
  }

  // ------------------------------------------------------------------ a state machine invoking a function

  /**
   * {@code lambda:InvokeFunction} by a state machine's role, for the Task states that invoke a
   * function in-process: the AccessDenied message when refused, else empty.
   */
  public Optional<String> invokeRefusal(String stateMachineArn, String functionArn) {
    long start = System.nanoTime();
    try {
      Principal p = identities.principal(stateMachineArn);
      Instant now = clock.get();
      Evaluation e = evaluate(p, callerKeys(p, now), Authorization.of("lambda:InvokeFunction", functionArn),
          "lambda", "Invoke", now);
      return e.denied() && mode == Mode.ENFORCE ? Optional.of(e.message()) : Optional.empty();
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  // ------------------------------------------------------------------ the caller's keys

  /**
   * The global condition keys of a role session: {@code aws:PrincipalArn} (the role),
   * {@code aws:PrincipalAccount}, {@code aws:PrincipalType} ({@code AssumedRole}),
   * {@code aws:userid} ({@code <role id>:<session>}), {@code aws:CurrentTime} and
   * {@code aws:EpochTime} (virtual time), {@code aws:TokenIssueTime} (temporary credentials),
   * {@code aws:RequestedRegion}, {@code aws:SecureTransport} (the SDKs call AWS over TLS),
   * {@code aws:ViaAWSService} and {@code aws:PrincipalIsAWSService} (false: the role calls
   * itself), and for a function {@code lambda:SourceFunctionArn}. Not in the context:
   * {@code aws:SourceIp} (no address in a rehearsal) and {@code aws:PrincipalTag/*}.
   */
  RequestContext callerKeys(Principal p, Instant now) {
    RequestContext c = new RequestContext()
        .put("aws:PrincipalArn", p.roleArn())
        .put("aws:PrincipalAccount", aws.accountId())
        .put("aws:PrincipalType", "AssumedRole")
        .put("aws:userid", p.roleId() + ":" + p.sessionName())
        .put("aws:CurrentTime", now.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("aws:EpochTime", String.valueOf(now.getEpochSecond()))
        .put("aws:TokenIssueTime", credentialsIssued.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("aws:RequestedRegion", aws.region())
        .put("aws:SecureTransport", "true")
        .put("aws:ViaAWSService", "false")
        .put("aws:PrincipalIsAWSService", "false");
    if (p.sourceArn() != null) {
      c.put("lambda:SourceFunctionArn", p.sourceArn());
    }
    return c;
  }

  private static String accessKeyId(HttpCall call) {
    String auth = call.header("authorization");
    if (auth == null) {
      return null;
    }
    Matcher m = CREDENTIAL.matcher(auth);
    return m.find() ? m.group(1) : null;
  }
}
