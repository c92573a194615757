package dev.poolshift.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
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
    String prefix = path.endsWith("/") ? path : path + "/";
    boolean recursive = request.path("Recursive").asBoolean(false);
    ArrayNode found = LocalJson.MAPPER.createArrayNode();
    for (Parameter p : parameters.values()) {
      if (p.name().startsWith(prefix) && (recursive || p.name().indexOf('/', prefix.length()) < 0)) {
        found.add(render(p));
      }
    }
    return LocalJson.object().set("Parameters", found);
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
