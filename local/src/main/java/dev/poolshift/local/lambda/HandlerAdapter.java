package dev.poolshift.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * Calls a handler the way the Java Lambda runtime does, from its {@code Handler} string
 * ({@code pkg.Class::method} or {@code pkg.Class}): stream handlers get the payload bytes and
 * write the response; POJO handlers ({@code RequestHandler<I,O>} or a method taking {@code I}
 * [and {@link Context}]) get the payload deserialized into {@code I} and have their result
 * serialized with Jackson. An {@code I} from the events library
 * ({@code com.amazonaws.services.lambda.runtime.events}) is read by the runtime's own event
 * serializer, as the Java runtime does: its mix-ins map names such as {@code detail-type} and
 * read times into Joda types, which plain Jackson would not; an events-library result is
 * written by it too. Any other result is written by the runtime's own Jackson configuration,
 * which leaves null members out.
 */
final class HandlerAdapter {
  /** Jackson as the runtime's POJO serializer uses it: unknown properties are ignored. */
  private static final ObjectMapper POJO = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Class<?> type;
  private final Method method;
  private final boolean stream;
  private final boolean withContext;
  private final JavaType inputType;
  /** The runtime's reader for an events-library input type; null for any other input. */
  private final PojoSerializer<?> eventReader;
  /** The runtime's writer for the declared result type; null for a stream or void handler. */
  private final PojoSerializer<Object> resultWriter;

  private HandlerAdapter(Class<?> type, Method method, boolean stream, boolean withContext, Type input) {
    this.type = type;
    this.method = method;
    this.stream = stream;
    this.withContext = withContext;
    this.inputType = input == null ? null : POJO.constructType(input);
    this.eventReader = inputType != null
        && LambdaEventSerializers.isLambdaSupportedEvent(inputType.getRawClass().getName())
        ? LambdaEventSerializers.serializerFor(inputType.getRawClass(), type.getClassLoader())
        : null;
    this.resultWriter = stream || method.getReturnType() == void.class ? null
        : resultWriter(method, type.getClassLoader());
    method.setAccessible(true);
  }

  /** An events-library result by the runtime's event serializer, any other by its Jackson. */
  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> resultWriter(Method method, ClassLoader loader) {
    Class<?> result = method.getReturnType();
    return LambdaEventSerializers.isLambdaSupportedEvent(result.getName())
        ? (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(result, loader)
        : JacksonFactory.getInstance().getSerializer(method.getGenericReturnType());
  }

  /**
   * Resolves the handler string without initialising the class (the runtime initialises it in the
   * init phase). Fails with {@link ClassNotFoundException} or {@link NoSuchMethodException}
   * carrying the runtime's kind of message.
   */
  static HandlerAdapter resolve(String handler, ClassLoader loader) throws ReflectiveOperationException {
    String className = handler;
    String methodName = null;
    int sep = handler.indexOf("::");
    if (sep >= 0) {
      className = handler.substring(0, sep);
      methodName = handler.substring(sep + 2);
    }
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new ClassNotFoundException("Class not found: " + className, e);
    }
    if (methodName == null) {
      if (RequestStreamHandler.class.isAssignableFrom(type)) {
        return new HandlerAdapter(type, type.getMethod("handleRequest", InputStream.class, OutputStream.class,
            Context.class), true, true, null);
      }
      if (RequestHandler.class.isAssignableFrom(type)) {
        Method m = Arrays.stream(type.getMethods())
            .filter(x -> x.getName().equals("handleRequest") && !x.isBridge() && x.getParameterCount() == 2
                && x.getParameterTypes()[1] == Context.class)
            .findFirst()
            .orElseThrow(() -> new NoSuchMethodException("Class " + type.getName() + " has no handleRequest method"));
        return new HandlerAdapter(type, m, false, true, m.getGenericParameterTypes()[0]);
      }
      throw new NoSuchMethodException("Class " + type.getName() + " does not implement RequestHandler or "
          + "RequestStreamHandler; name the method (" + type.getName() + "::method)");
    }
    String name = methodName;
    Method[] candidates = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(name) && !m.isBridge() && !m.isSynthetic())
        .sorted(Comparator.comparingInt(HandlerAdapter::preference))
        .toArray(Method[]::new);
    for (Method m : candidates) {
      Class<?>[] p = m.getParameterTypes();
      if (p.length >= 2 && p[0] == InputStream.class && p[1] == OutputStream.class
          && (p.length == 2 || (p.length == 3 && p[2] == Context.class))) {
        return new HandlerAdapter(type, m, true, p.length == 3, null);
      }
      if (p.length == 2 && p[1] == Context.class) {
        return new HandlerAdapter(type, m, false, true, m.getGenericParameterTypes()[0]);
      }
      if (p.length == 1) {
        return new HandlerAdapter(type, m, false, false, m.getGenericParameterTypes()[0]);
      }
    }
    throw new NoSuchMethodException("No public method named " + name + " with appropriate method signature found on "
        + "class " + type.getName());
  }

  /** Stream signatures first, then (I, Context), then (I): the runtime's order of preference. */
  private static int preference(Method m) {
    Class<?>[] p = m.getParameterTypes();
    if (p.length >= 2 && p[0] == InputStream.class) {
      return 0;
    }
    return 3 - Math.min(p.length, 2);
  }

  /**
   * Creates the handler object for a new execution environment: the {@code (Map<String,String>)}
   * constructor with the function's environment if there is one, else the no-arg constructor;
   * none for a static handler method.
   */
  Object instantiate(Map<String, String> environment) throws Throwable {
    if (Modifier.isStatic(method.getModifiers())) {
      initialise();
      return null;
    }
    try {
      Constructor<?> withEnv = findConstructor(Map.class);
      if (withEnv != null) {
        return withEnv.newInstance(environment);
      }
      Constructor<?> noArg = findConstructor();
      if (noArg == null) {
        throw new NoSuchMethodException("Class " + type.getName() + " has no public no-argument constructor");
      }
      return noArg.newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } catch (ExceptionInInitializerError e) {
      throw e.getCause() == null ? e : e.getCause();
    }
  }

  private void initialise() throws Throwable {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ExceptionInInitializerError e) {
      throw e.getCause() == null ? e : e.getCause();
    }
  }

  private Constructor<?> findConstructor(Class<?>... parameters) {
    try {
      Constructor<?> c = type.getConstructor(parameters);
      return Modifier.isPublic(c.getModifiers()) ? c : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Runs the handler on one payload; returns the response bytes or throws what the handler threw. */
  byte[] invoke(Object instance, byte[] payload, Context context) throws Throwable {
    try {
      if (stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(payload);
        if (withContext) {
          method.invoke(instance, in, out, context);
        } else {
          method.invoke(instance, in, out);
        }
        return out.toByteArray();
      }
      Object input;
      byte[] json = payload.length == 0 ? "null".getBytes() : payload;
      try {
        input = eventReader != null ? eventReader.fromJson(new ByteArrayInputStream(json))
            : POJO.readValue(json, inputType);
      } catch (java.io.IOException | RuntimeException e) {
        throw new RuntimeException("An error occurred during JSON parsing", e);
      }
      Object result = withContext ? method.invoke(instance, input, context) : method.invoke(instance, input);
      if (resultWriter == null) {
        return POJO.writeValueAsBytes(result);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      resultWriter.toJson(result, out);
      return out.toByteArray();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * The error document the Java runtime returns for an unhandled exception: {@code errorMessage}
   * ({@code getLocalizedMessage()}, or the class name when that is null), {@code errorType} (the
   * fully-qualified class name), {@code stackTrace}, and {@code cause} in the same shape.
   */
  static ObjectNode errorDocument(Throwable t) {
    return errorDocument(t, 0);
  }

  private static ObjectNode errorDocument(Throwable t, int depth) {
    ObjectNode node = LocalJson.object();
    String message = t.getLocalizedMessage();
    node.put("errorMessage", message == null ? t.getClass().getName() : message);
    node.put("errorType", t.getClass().getName());
    ArrayNode trace = node.putArray("stackTrace");
    for (StackTraceElement e : t.getStackTrace()) {
      trace.add(e.toString());
    }
    Throwable cause = t.getCause();
    if (cause != null && cause != t && depth < 10) {
      node.set("cause", errorDocument(cause, depth + 1));
    }
    return node;
  }
}
