package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SageMaker models. Each remembers the registry version it was built from (model package ARN and
 * inference specification name), so the traffic model can say which version serves a request.
 */
final class Models {
  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");

  static final class Model {
    final String name;
    final String arn;
    final ObjectNode doc;
    final Instant created;
    final long seq;
    /** The registry version behind the (first) container, or null for an image-based model. */
    final String packageArn;
    final String specName;
    final String image;

    Model(String name, String arn, ObjectNode doc, Instant created, long seq, String packageArn, String specName,
        String image) {
      this.name = name;
      this.arn = arn;
      this.doc = doc;
      this.created = created;
      this.seq = seq;
      this.packageArn = packageArn;
      this.specName = specName;
      this.image = image;
    }
  }

  private final SageMakerWorld w;
  private final Map<String, Model> models = new LinkedHashMap<>();

  Models(SageMakerWorld w) {
    this.w = w;
  }

  String arnOf(String name) {
    return w.arn("model/" + Wire.lower(name));
  }

  ObjectNode create(ObjectNode req, Instant now) {
    String name = Wire.name(req, "ModelName", "");
    String arn = arnOf(name);
    if (models.containsKey(Wire.lower(name))) {
      throw Errors.alreadyExists("model", arn);
    }
    ObjectNode primary = Wire.object(req, "PrimaryContainer", "");
    ArrayNode containers = Wire.array(req, "Containers", "");
    if ((primary == null) == (containers == null)) {
      throw Errors.validation("Exactly one of PrimaryContainer or Containers must be specified for model "
          + name + ".");
    }
    List<ObjectNode> list = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (primary != null) {
      list.add(primary);
      prefixes.add("primaryContainer.");
    } else {
      if (containers.isEmpty() || containers.size() > 15) {
        throw Errors.constraint("containers", containers.size() + " containers",
            "Member must have length between 1 and 15");
      }
      for (int i = 0; i < containers.size(); i++) {
        list.add(Wire.elementObject(containers, i, "", "Containers"));
        prefixes.add(Wire.element("", "Containers", i));
      }
    }
    String packageArn = null;
    String specName = null;
    String image = null;
    for (int i = 0; i < list.size(); i++) {
      Resolved r = resolveContainer(list.get(i), prefixes.get(i));
      if (i == 0) {
        packageArn = r.packageArn;
        specName = r.specName;
        image = r.image;
      }
    }
    // ExecutionRoleArn is optional in the API model but every container-based model needs a role
    // to pull its image and artifacts; we require it (the harsher reading).
    String role = Wire.text(req, "ExecutionRoleArn", "");
    if (role == null) {
      throw Errors.required("executionRoleArn");
    }
    if (!ROLE_ARN.matcher(role).matches()) {
      throw Errors.constraint("executionRoleArn", role,
          "Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");
    }
    Wire.bool(req, "EnableNetworkIsolation", "");
    checkVpcConfig(req);
    var tags = Tags.read(req, "");
    ObjectNode doc = req.deepCopy();
    doc.remove("Tags");
    Model m = new Model(name, arn, doc, now, w.nextSequence(), packageArn, specName, image);
    models.put(Wire.lower(name), m);
    w.tags.put(arn, tags);
    return LocalJson.object().put("ModelArn", arn);
  }

  private record Resolved(String packageArn, String specName, String image) {}

  private Resolved resolveContainer(ObjectNode c, String prefix) {
    String packageName = Wire.text(c, "ModelPackageName", prefix);
    String specName = Wire.text(c, "InferenceSpecificationName", prefix);
    String image = Wire.text(c, "Image", prefix);
    Wire.text(c, "ModelDataUrl", prefix);
    Wire.object(c, "Environment", prefix);
    if (packageName == null) {
      if (specName != null) {
        throw Errors.validation("InferenceSpecificationName can only be used together with ModelPackageName ("
            + Wire.path(prefix, "InferenceSpecificationName") + ").");
      }
      if (image == null) {
        throw Errors.validation("Container " + prefix.replaceAll("\\.$", "")
            + " needs either an Image or a ModelPackageName.");
      }
      return new Resolved(null, null, image);
    }
    ModelRegistrySimulator.Package p = w.registry.find(packageName);
    if (p == null) {
      throw Errors.validation("ModelPackage " + packageName + " does not exist.");
    }
    if (image != null) {
      throw Errors.validation("Image cannot be combined with ModelPackageName ("
          + Wire.path(prefix, "Image") + "): the image comes from the model package.");
    }
    // The API reference does not say whether Environment may be combined with ModelPackageName;
    // AWS's own SageMaker Python SDK sends exactly that (ModelPackage with env), together with
    // VpcConfig and EnableNetworkIsolation, so it is accepted. The model data and the image stay
    // the package's: ModelDataUrl and ModelDataSource beside ModelPackageName are refused below
    // (the harsher reading).
    for (String own : List.of("ModelDataUrl", "ModelDataSource", "AdditionalModelDataSources")) {
      if (c.has(own)) {
        throw Errors.validation(own + " cannot be combined with ModelPackageName ("
            + Wire.path(prefix, own) + "): the model data comes from the model package.");
      }
    }
    checkEnvironment(c, prefix);
    if (!"Approved".equals(p.approval()) && p.group != null) {
      // Unconfirmed: whether CreateModel rejects versions that are not Approved. We reject
      // (the harsher reading): a workflow must not build models from unapproved versions.
      throw Errors.validation("Model package " + p.arn + " has ModelApprovalStatus " + p.approval()
          + "; only Approved versions can be used to create a model.");
    }
    if (specName != null && p.additionalSpec(specName) == null) {
      throw Errors.validation("InferenceSpecificationName '" + specName + "' ("
          + Wire.path(prefix, "InferenceSpecificationName") + ") is not one of the "
          + "AdditionalInferenceSpecifications of model package " + p.arn + ".");
    }
    return new Resolved(p.arn, specName, p.image(specName));
  }

  /** VpcConfig as the API reference bounds it: 1–5 security groups and 1–16 subnets, by id. */
  private static void checkVpcConfig(ObjectNode req) {
    ObjectNode vpc = Wire.object(req, "VpcConfig", "");
    if (vpc == null) {
      return;
    }
    checkIds(vpc, "SecurityGroupIds", 5);
    checkIds(vpc, "Subnets", 16);
  }

  private static void checkIds(ObjectNode vpc, String field, int max) {
    ArrayNode ids = Wire.array(vpc, field, "vpcConfig.");
    if (ids == null) {
      throw Errors.required("vpcConfig." + field.substring(0, 1).toLowerCase() + field.substring(1));
    }
    if (ids.isEmpty() || ids.size() > max) {
      throw Errors.constraint("vpcConfig." + field, ids.size() + " entries",
          "Member must have length between 1 and " + max);
    }
    ids.forEach(id -> {
      if (!id.isTextual() || !id.asText().matches("[-0-9a-zA-Z]{1,32}")) {
        throw Errors.constraint("vpcConfig." + field, id.toString(),
            "Member must satisfy regular expression pattern: [-0-9a-zA-Z]+");
      }
    });
  }

  /**
   * ContainerDefinition.Environment as the API reference bounds it: at most 16 entries, keys
   * matching {@code [a-zA-Z_][a-zA-Z0-9_]*}, keys and values at most 1024 characters.
   */
  private static void checkEnvironment(ObjectNode c, String prefix) {
    ObjectNode env = Wire.object(c, "Environment", prefix);
    if (env == null) {
      return;
    }
    String at = Wire.path(prefix, "Environment");
    if (env.size() > 16) {
      throw Errors.constraint(at, env.size() + " entries", "Map must have at most 16 entries");
    }
    env.fields().forEachRemaining(e -> {
      if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*") || e.getKey().length() > 1024) {
        throw Errors.constraint(at, e.getKey(),
            "Map keys must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*");
      }
      if (!e.getValue().isTextual() || e.getValue().asText().length() > 1024) {
        throw Errors.constraint(at + "." + e.getKey(), e.getValue().toString(),
            "Map value must be a string of at most 1024 characters");
      }
    });
  }

  ObjectNode describe(ObjectNode req) {
    Model m = require(Wire.requiredText(req, "ModelName", ""));
    ObjectNode n = LocalJson.object();
    n.put("ModelName", m.name);
    n.setAll(m.doc.deepCopy());
    n.put("ModelArn", m.arn);
    n.put("CreationTime", Wire.epochSeconds(m.created));
    if (!n.has("EnableNetworkIsolation")) {
      n.put("EnableNetworkIsolation", false);
    }
    return n;
  }

  ObjectNode delete(ObjectNode req) {
    Model m = require(Wire.requiredText(req, "ModelName", ""));
    // Deleting a model an endpoint runs is allowed: running instances keep serving it.
    models.remove(Wire.lower(m.name));
    w.tags.drop(m.arn);
    return LocalJson.object();
  }

  ObjectNode list(ObjectNode req) {
    List<Model> all = new ArrayList<>(models.values());
    all = Listing.filterName(all, req, m -> m.name);
    all = Listing.filterTime(all, req, "CreationTime", m -> m.created);
    Listing.Page<Model> page = Listing.page(Listing.sort(all, req, Map.of("Name", (Model m) -> m.name,
        "CreationTime", (Model m) -> Listing.time(m.created)), "CreationTime", "Descending", m -> m.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("Models");
    page.items().forEach(m -> list.addObject().put("ModelName", m.name).put("ModelArn", m.arn)
        .put("CreationTime", Wire.epochSeconds(m.created)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  Model find(String name) {
    return models.get(Wire.lower(name));
  }

  Model require(String name) {
    Model m = find(name);
    if (m == null) {
      throw Errors.validation("Could not find model \"" + arnOf(name) + "\".");
    }
    return m;
  }
}
