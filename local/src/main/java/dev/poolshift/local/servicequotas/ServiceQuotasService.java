package dev.poolshift.local.servicequotas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.InjectedErrors;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * Service Quotas on the AWS JSON 1.1 wire ({@code X-Amz-Target: ServiceQuotasV20190624.<Operation>},
 * signing name {@code servicequotas}): {@code ListServiceQuotas} and {@code GetServiceQuota} for
 * service code {@code sagemaker}, answering with the "{@code <type> for endpoint usage}" quotas the
 * SageMaker simulator enforces ({@link SageMakerWorld#instanceQuota}), so a plan reads the same
 * numbers that later refuse an update with {@code ResourceLimitExceeded}.
 *
 * <p>Which quotas are listed: AWS documents that a quota whose applied value is not available "is
 * not retrieved". A world without quotas (no {@code quotas} in the scenario) enforces none and so
 * has no applied values: the list is empty. A world with quotas lists every type of a catalogue of
 * common SageMaker hosting types plus every type given its own quota, each with the value SageMaker
 * enforces (its own, else the default, 0 in scenarios). Other quota kinds (training, processing,
 * endpoint counts) are not simulated; other service codes answer {@code NoSuchResourceException}.
 *
 * <p>Quota codes are made up: {@code L-} and eight hex digits of the CRC-32 of the quota name,
 * stable from run to run, shaped like AWS's codes but not theirs. Pages hold 50 quotas unless
 * {@code MaxResults} (1–100) says otherwise: AWS leaves the default "appropriate to the operation",
 * and a page smaller than the whole list makes every client follow {@code NextToken}.
 */
public final class ServiceQuotasService extends JsonProtocolService {
  public static final String SERVICE_CODE = "sagemaker";
  static final String SUFFIX = " for endpoint usage";
  static final int DEFAULT_PAGE = 50;
  /** Hosting types listed whenever quotas apply; types with a quota of their own are added. */
  static final List<String> CATALOGUE = List.of(
      "ml.t2.medium", "ml.t2.large", "ml.t2.xlarge", "ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge",
      "ml.m5.4xlarge", "ml.m5.12xlarge", "ml.m5.24xlarge", "ml.m6i.large", "ml.m6i.xlarge",
      "ml.m6i.2xlarge", "ml.m6i.4xlarge", "ml.c5.large", "ml.c5.xlarge", "ml.c5.2xlarge",
      "ml.c5.4xlarge", "ml.c5.9xlarge", "ml.c6i.xlarge", "ml.c6i.2xlarge", "ml.c6i.4xlarge",
      "ml.r5.large", "ml.r5.xlarge", "ml.r5.2xlarge", "ml.g4dn.xlarge", "ml.g4dn.2xlarge",
      "ml.g4dn.4xlarge", "ml.g4dn.12xlarge", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.g5.4xlarge",
      "ml.g5.8xlarge", "ml.g5.12xlarge", "ml.g5.48xlarge", "ml.g6.xlarge", "ml.g6.2xlarge",
      "ml.g6.4xlarge", "ml.g6.12xlarge", "ml.g6e.xlarge", "ml.g6e.2xlarge", "ml.g6e.12xlarge",
      "ml.p4d.24xlarge", "ml.p5.48xlarge", "ml.inf2.xlarge", "ml.inf2.8xlarge", "ml.inf2.24xlarge",
      "ml.inf2.48xlarge", "ml.trn1.2xlarge", "ml.trn1.32xlarge", "ml.c7g.xlarge",
      "ml.c7g.2xlarge", "ml.m7i.xlarge", "ml.m7i.2xlarge", "ml.r7i.xlarge", "ml.g5.16xlarge",
      "ml.g5.24xlarge", "ml.g6.8xlarge", "ml.g6.16xlarge", "ml.g6.24xlarge", "ml.g6.48xlarge");

  private final AwsContext aws;
  private final SageMakerWorld world;
  private final InjectedErrors injected = new InjectedErrors();

  public ServiceQuotasService(AwsContext aws, SageMakerWorld world) {
    super("1.1");
    this.aws = aws;
    this.world = world;
  }

  @Override
  public String signingName() {
    return "servicequotas";
  }

  @Override
  public String targetPrefix() {
    return "ServiceQuotasV20190624";
  }

  /** Errors to answer on purpose ({@code AccessDeniedException} for a role without the permission). */
  public InjectedErrors faults() {
    return injected;
  }

  /** The made-up quota code of a type's endpoint-usage quota. */
  public static String quotaCode(String instanceType) {
    CRC32 crc = new CRC32();
    crc.update((instanceType + SUFFIX).getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "L-%08X", crc.getValue());
  }

  @Override
  protected JsonNode dispatch(String operation, ObjectNode request) {
    injected.take(operation).ifPresent(e -> {
      throw e;
    });
    return switch (operation) {
      case "ListServiceQuotas" -> list(request);
      case "GetServiceQuota" -> get(request);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private JsonNode list(ObjectNode r) {
    String service = serviceCode(r);
    int max = Paging.limit(r.hasNonNull("MaxResults") ? r.get("MaxResults").asInt() : null, DEFAULT_PAGE, 1, 100,
        n -> illegal("1 validation error detected: Value '" + n + "' at 'maxResults' failed to"
            + " satisfy constraint: Member must have value between 1 and 100"));
    String level = r.path("QuotaAppliedAtLevel").asText("ACCOUNT");
    if (!List.of("ACCOUNT", "RESOURCE", "ALL").contains(level)) {
      throw illegal("1 validation error detected: Value '" + level + "' at 'quotaAppliedAtLevel'"
          + " failed to satisfy enum value set: [ACCOUNT, RESOURCE, ALL]");
    }
    List<ObjectNode> all = new ArrayList<>();
    // Endpoint-usage quotas are account-level: a RESOURCE filter finds none.
    if (!level.equals("RESOURCE")) {
      String code = r.path("QuotaCode").asText(null);
      for (String type : types()) {
        if (code == null || code.equals(quotaCode(type))) {
          all.add(quota(service, type));
        }
      }
    }
    Paging.Page<ObjectNode> page = Paging.page(all, q -> q.path("QuotaCode").asText(), max,
        r.hasNonNull("NextToken") ? r.get("NextToken").asText() : null,
        () -> AwsServiceException.client("InvalidPaginationTokenException",
            "Invalid input was provided: the NextToken is not one this operation returned."));
    ObjectNode out = LocalJson.object();
    ArrayNode quotas = out.putArray("Quotas");
    page.items().forEach(quotas::add);
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private JsonNode get(ObjectNode r) {
    String service = serviceCode(r);
    String code = r.path("QuotaCode").asText(null);
    if (code == null || code.isEmpty()) {
      throw illegal("1 validation error detected: Value null at 'quotaCode' failed to satisfy"
          + " constraint: Member must not be null");
    }
    for (String type : types()) {
      if (quotaCode(type).equals(code)) {
        return LocalJson.object().set("Quota", quota(service, type));
      }
    }
    throw AwsServiceException.client("NoSuchResourceException",
        "The request failed because the specified quota " + code + " for service " + service
            + " does not exist or has no applied value.");
  }

  /** The types with an applied endpoint-usage quota, in a stable order. */
  private List<String> types() {
    Map<String, Integer> own = world.instanceQuotas();
    if (own.isEmpty() && world.defaultInstanceQuota() == null) {
      return List.of();
    }
    TreeSet<String> types = new TreeSet<>(own.keySet());
    if (world.defaultInstanceQuota() != null) {
      types.addAll(CATALOGUE);
    }
    return List.copyOf(types);
  }

  private ObjectNode quota(String service, String type) {
    String code = quotaCode(type);
    ObjectNode q = LocalJson.object();
    q.put("ServiceCode", service);
    q.put("ServiceName", "Amazon SageMaker");
    q.put("QuotaArn", "arn:" + aws.partition() + ":servicequotas:" + aws.region() + ":"
        + aws.accountId() + ":" + service + "/" + code);
    q.put("QuotaCode", code);
    q.put("QuotaName", type + SUFFIX);
    q.put("Value", (double) world.instanceQuota(type));
    q.put("Unit", "None");
    q.put("Adjustable", true);
    q.put("GlobalQuota", false);
    q.put("QuotaAppliedAtLevel", "ACCOUNT");
    q.put("Description", "Maximum number of " + type + " instances across all endpoints of the"
        + " account in this Region (local runtime)");
    return q;
  }

  private static String serviceCode(ObjectNode r) {
    String service = r.path("ServiceCode").asText(null);
    if (service == null || service.isEmpty()) {
      throw illegal("1 validation error detected: Value null at 'serviceCode' failed to satisfy"
          + " constraint: Member must not be null");
    }
    if (!SERVICE_CODE.equals(service)) {
      throw AwsServiceException.client("NoSuchResourceException", "The request failed because"
          + " the specified service " + service + " does not exist in the local Service Quotas"
          + " (only " + SERVICE_CODE + " is simulated).");
    }
    return service;
  }

  private static AwsServiceException illegal(String message) {
    return AwsServiceException.client("IllegalArgumentException", message);
  }
}
