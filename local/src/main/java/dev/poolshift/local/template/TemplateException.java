package dev.poolshift.local.template;

/**
 * A template the local runtime cannot load: bad YAML, a bad intrinsic function, a reference to a
 * resource or attribute that does not exist, or a feature the runtime does not simulate. The
 * message names the place in the template ({@code Resources.Fn.Properties.Timeout}).
 */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
