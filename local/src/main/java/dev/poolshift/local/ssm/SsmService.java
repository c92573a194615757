package dev.poolshift.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * SSM Parameter Store on the AWS JSON 1.1 wire ({@code X-Amz-Target: AmazonSSM.<Operation>}):
 * where operators keep deployment profiles so they change without a code deploy. Only the
 * operations Poolshift and its users need; parameter history and policies are not kept.
 */
public final class SsmService extends JsonProtocolService {
  /** Standard-tier limit: a profile larger than this must not silently pass locally. */
  static final int MAX_STANDARD_VALUE_BYTES = 4096;
  static final int MAX_ADVANCED_VALUE_BYTES = 8192;
  private static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9_.\\-/]{1,2047}$");

  private final Simulation sim;
  private final AwsContext aws;
  private final Map<String, Parameter> parameters = new TreeMap<>();

  public SsmService(Simulation sim, AwsContext aws) {
    super("1.1");
    this.sim = sim;
    this.aws = aws;
  }

  @Override
  public String signingName() {
    return "ssm";
  }

  @Override
  public String targetPrefix() {
    return "AmazonSSM";
  }

  /** Sets a parameter directly (scenario seeding), as PutParameter with Overwrite would. */
  public synchronized void put(String name, String value) {
    Parameter old = parameters.get(name);
    long version = old == null ? 1 : old.version() + 1;
    parameters.put(name, new Parameter(name, "String", value, version, sim.now(), tierOf(value)));
  }

  /** The current value of a parameter, or null. */
  public synchronized String value(String name) {
    Parameter p = parameters.get(name);
    return p == null ? null : p.value();
  }

  @Override
  protected synchronized JsonNode dispatch(String operation, ObjectNode request) {
    return switch (operation) {
      case "PutParameter" -> putParameter(request);
      case "GetParameter" -> getParameter(request);
      case "GetParameters" -> getParameters(request);
      case "GetParametersByPath" -> getParametersByPath(request);
      case "DeleteParameter" -> deleteParameter(request);
      case "DescribeParameters" -> describeParameters(request);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private JsonNode putParameter(ObjectNode request) {
    String name = requireName(request);
    String value = text(request, "Value");
    if (value == null || value.isEmpty()) {
      throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    String type = request.path("Type").asText("String");
    if (!type.equals("String") && !type.equals("StringList") && !type.equals("SecureString")) {
      throw validation("1 validation error detected: Value '" + type + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
    }
    String tier = request.path("Tier").asText("Standard");
    int limit = tier.equals("Advanced") ? MAX_ADVANCED_VALUE_BYTES : MAX_STANDARD_VALUE_BYTES;
    int size = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (size > limit) {
      throw validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier."
          .replace("4096", Integer.toString(limit)));
    }
    Parameter old = parameters.get(name);
    if (old != null && !request.path("Overwrite").asBoolean(false)) {
      throw AwsServiceException.client("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }
    long version = old == null ? 1 : old.version() + 1;
    parameters.put(name, new Parameter(name, type, value, version, sim.now(), tier));
    return LocalJson.object().put("Version", version).put("Tier", tier);
  }

  private JsonNode getParameter(ObjectNode request) {
    String name = requireName(request);
    Parameter p = parameters.get(name);
    if (p == null) {
      throw AwsServiceException.client("ParameterNotFound", "Parameter " + name + " not found.");
    }
    return LocalJson.object().set("Parameter", render(p));
  }

  private JsonNode getParameters(ObjectNode request) {
    ArrayNode found = LocalJson.MAPPER.createArrayNode();
    ArrayNode invalid = LocalJson.MAPPER.createArrayNode();
    for (JsonNode n : request.path("Names")) {
      Parameter p = parameters.get(n.asText());
      if (p == null) {
        invalid.add(n.asText());
      } else {
        found.add(render(p));
      }
    }
    ObjectNode out = LocalJson.object();
    out.set("Parameters", found);
    out.set("InvalidParameters", invalid);
    return out;
  }

  private JsonNode getParametersByPath(ObjectNode request) {
    String path = text(request, "Path");
    if (path == null || !path.startsWith("/")) {
      throw validation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
    }
    if (request.has("ParameterFilters")) {
      throw validation("The local SSM does not simulate ParameterFilters on GetParametersByPath.");
    }
    String prefix = path.endsWith("/") ? path : path + "/";
    boolean recursive = request.path("Recursive").asBoolean(false);
    int max = maxResults(request, 10);
    java.util.List<Parameter> found = new java.util.ArrayList<>();
    for (Parameter p : parameters.values()) {
      if (p.name().startsWith(prefix) && (recursive || p.name().indexOf('/', prefix.length()) < 0)) {
        found.add(p);
      }
    }
    return page(found, max, request, "Parameters", this::render);
  }

  /**
   * DescribeParameters: metadata only (no values), filtered by {@code ParameterFilters} on Name
   * (Equals / BeginsWith / Contains), Path (OneLevel / Recursive), Type, Tier and DataType. Other
   * filter keys AWS knows (tags, KeyId, Label) are refused by name rather than ignored.
   */
  private JsonNode describeParameters(ObjectNode request) {
    if (request.has("Filters")) {
      throw validation("The local SSM does not simulate the deprecated Filters; use ParameterFilters.");
    }
    int max = maxResults(request, 50);
    java.util.List<java.util.function.Predicate<Parameter>> tests = new java.util.ArrayList<>();
    for (JsonNode f : request.path("ParameterFilters")) {
      tests.add(filter(f));
    }
    java.util.List<Parameter> found = parameters.values().stream().filter(p -> tests.stream().allMatch(t -> t.test(p)))
        .toList();
    return page(found, max, request, "Parameters", p -> {
      ObjectNode node = render(p);
      node.remove("Value");
      node.put("Tier", p.tier());
      node.putArray("Policies");
      return node;
    });
  }

  private static java.util.function.Predicate<Parameter> filter(JsonNode f) {
    String key = f.path("Key").asText(null);
    String option = f.path("Option").asText(null);
    java.util.List<String> values = new java.util.ArrayList<>();
    f.path("Values").forEach(v -> values.add(v.asText()));
    if (key == null) {
      throw validation("1 validation error detected: Value null at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must not be null");
    }
    if (values.isEmpty()) {
      throw AwsServiceException.client("InvalidFilterValue", "The filter value is not valid. Specify a value for the filter key " + key + ".");
    }
    return switch (key) {
      case "Name" -> {
        String op = option == null ? "Equals" : option;
        yield switch (op) {
          case "Equals" -> p -> values.contains(p.name());
          case "BeginsWith" -> p -> values.stream().anyMatch(v -> p.name().startsWith(v));
          case "Contains" -> p -> values.stream().anyMatch(v -> p.name().contains(v));
          default -> throw invalidOption(key, op);
        };
      }
      case "Path" -> {
        String op = option == null ? "OneLevel" : option;
        if (!op.equals("OneLevel") && !op.equals("Recursive")) {
          throw invalidOption(key, op);
        }
        yield p -> values.stream().anyMatch(v -> {
          String prefix = v.endsWith("/") ? v : v + "/";
          return p.name().startsWith(prefix) && (op.equals("Recursive") || p.name().indexOf('/', prefix.length()) < 0);
        });
      }
      case "Type", "Tier", "DataType" -> {
        if (option != null && !option.equals("Equals")) {
          throw invalidOption(key, option);
        }
        yield p -> values.contains(switch (key) {
          case "Type" -> p.type();
          case "Tier" -> p.tier();
          default -> "text";
        });
      }
      case "KeyId", "Label" -> throw AwsServiceException.client("InvalidFilterKey",
          "The local SSM does not simulate the filter key " + key + ".");
      default -> {
        if (key.startsWith("tag:")) {
          throw AwsServiceException.client("InvalidFilterKey", "The local SSM does not keep parameter tags, so it "
              + "cannot filter on " + key + ".");
        }
        throw AwsServiceException.client("InvalidFilterKey", "The following filter key is not valid: " + key
            + ". Valid filter keys include: [Path, Name, Type, KeyId, Tier, Label, DataType].");
      }
    };
  }

  private static AwsServiceException invalidOption(String key, String option) {
    return AwsServiceException.client("InvalidFilterOption", "The filter option " + option
        + " is not valid for the key " + key + ".");
  }

  /** {@code MaxResults}: 1 to {@code max}, {@code max} when absent (10 for GetParametersByPath, 50 for DescribeParameters). */
  private static int maxResults(ObjectNode request, int max) {
    JsonNode v = request.get("MaxResults");
    return Paging.limit(v == null || v.isNull() ? null : v.asInt(), max, 1, max, n -> validation(
        "1 validation error detected: Value '" + n + "' at 'maxResults' failed to satisfy constraint: Member must have value "
            + (n < 1 ? "greater than or equal to 1" : "less than or equal to " + max)));
  }

  private static ObjectNode page(java.util.List<Parameter> found, int max, ObjectNode request, String member,
      java.util.function.Function<Parameter, ObjectNode> render) {
    Paging.Page<Parameter> page = Paging.page(found, Parameter::name, max, text(request, "NextToken"),
        () -> AwsServiceException.client("InvalidNextToken", "The specified token isn't valid."));
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    page.items().forEach(p -> out.add(render.apply(p)));
    ObjectNode response = LocalJson.object();
    response.set(member, out);
    if (page.nextToken() != null) {
      response.put("NextToken", page.nextToken());
    }
    return response;
  }

  private JsonNode deleteParameter(ObjectNode request) {
    String name = requireName(request);
    if (parameters.remove(name) == null) {
      throw AwsServiceException.client("ParameterNotFound", "Parameter " + name + " not found.");
    }
    return LocalJson.object();
  }

  private ObjectNode render(Parameter p) {
    ObjectNode node = LocalJson.object()
        .put("Name", p.name())
        .put("Type", p.type())
        .put("Value", p.value())
        .put("Version", p.version())
        .put("ARN", aws.arn("ssm", "parameter" + (p.name().startsWith("/") ? "" : "/") + p.name()))
        .put("DataType", "text");
    node.put("LastModifiedDate", new BigDecimal(p.modified().toEpochMilli()).movePointLeft(3));
    return node;
  }

  private static String requireName(ObjectNode request) {
    String name = text(request, "Name");
    if (name == null || !NAME.matcher(name).matches()) {
      throw validation("1 validation error detected: Value '" + name + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_.\\-/]+$");
    }
    return name;
  }

  private static String tierOf(String value) {
    return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STANDARD_VALUE_BYTES ? "Advanced" : "Standard";
  }

  private static String text(ObjectNode request, String field) {
    JsonNode n = request.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static AwsServiceException validation(String message) {
    return AwsServiceException.client("ValidationException", message);
  }

  private record Parameter(String name, String type, String value, long version, Instant modified, String tier) {}
}
