package dev.poolshift.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads CloudFormation YAML: the short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, ...)
 * become their long form ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}), so the resolver sees one
 * shape. Plain YAML maps become {@link LinkedHashMap}s (template order is kept), sequences
 * {@link ArrayList}s, scalars strings, numbers, booleans or null.
 */
final class CfnYaml {
  private static final Map<String, String> FUNCTIONS = Map.ofEntries(
      Map.entry("!Ref", "Ref"),
      Map.entry("!Sub", "Fn::Sub"),
      Map.entry("!GetAtt", "Fn::GetAtt"),
      Map.entry("!Join", "Fn::Join"),
      Map.entry("!Select", "Fn::Select"),
      Map.entry("!Split", "Fn::Split"),
      Map.entry("!If", "Fn::If"),
      Map.entry("!Equals", "Fn::Equals"),
      Map.entry("!Not", "Fn::Not"),
      Map.entry("!And", "Fn::And"),
      Map.entry("!Or", "Fn::Or"),
      Map.entry("!FindInMap", "Fn::FindInMap"),
      Map.entry("!Base64", "Fn::Base64"),
      Map.entry("!GetAZs", "Fn::GetAZs"),
      Map.entry("!ImportValue", "Fn::ImportValue"),
      Map.entry("!Cidr", "Fn::Cidr"),
      Map.entry("!Length", "Fn::Length"),
      Map.entry("!ToJsonString", "Fn::ToJsonString"),
      Map.entry("!Transform", "Fn::Transform"),
      Map.entry("!Condition", "Condition"));

  private CfnYaml() {}

  /** Parses one YAML document; {@code source} names it in error messages. */
  static Object parse(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(10 * 1024 * 1024);
    Yaml parser = new Yaml(new Constructor(options), new Representer(new DumperOptions()),
        new DumperOptions(), options, new CfnResolver());
    try {
      return parser.load(yaml);
    } catch (MarkedYAMLException e) {
      throw new TemplateException(source + ": invalid YAML: " + e.getMessage().strip(), e);
    } catch (YAMLException e) {
      throw new TemplateException(source + ": invalid YAML: " + e.getMessage(), e);
    }
  }

  /**
   * CloudFormation keeps dates as strings ({@code 2026-01-01} in a Description or a parameter
   * default is text), so the YAML timestamp type is not resolved.
   */
  private static final class CfnResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  private static final class Constructor extends SafeConstructor {
    Constructor(LoaderOptions options) {
      super(options);
      FUNCTIONS.forEach((tag, function) -> yamlConstructors.put(new Tag(tag), new ConstructFunction(tag, function)));
    }

    private final class ConstructFunction extends AbstractConstruct {
      private final String tag;
      private final String function;

      ConstructFunction(String tag, String function) {
        this.tag = tag;
        this.function = function;
      }

      @Override
      public Object construct(Node node) {
        Object argument = switch (node) {
          case ScalarNode scalar -> scalarArgument(scalar);
          case SequenceNode sequence -> new ArrayList<>(constructSequence(sequence));
          case MappingNode mapping -> {
            Map<Object, Object> map = new LinkedHashMap<>();
            constructMapping2ndStep(mapping, map);
            yield map;
          }
          default -> throw new YAMLException("unexpected node for " + tag);
        };
        Map<Object, Object> result = new LinkedHashMap<>();
        result.put(function, argument);
        return result;
      }

      private Object scalarArgument(ScalarNode scalar) {
        String text = constructScalar(scalar);
        if (function.equals("Fn::GetAtt")) {
          // !GetAtt Resource.Attribute: the attribute may itself contain dots (Endpoint.Address).
          int dot = text.indexOf('.');
          if (dot <= 0 || dot == text.length() - 1) {
            throw new YAMLException("!GetAtt '" + text + "' must have the form LogicalId.Attribute");
          }
          List<Object> parts = new ArrayList<>();
          parts.add(text.substring(0, dot));
          parts.add(text.substring(dot + 1));
          return parts;
        }
        if (function.equals("Fn::GetAZs") && text.isEmpty()) {
          return "";
        }
        return text;
      }
    }
  }
}
