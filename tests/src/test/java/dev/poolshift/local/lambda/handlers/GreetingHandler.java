package dev.poolshift.local.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A POJO handler with only a no-arg constructor. */
public class GreetingHandler implements RequestHandler<GreetingHandler.Greeting, Map<String, Object>> {
  public record Greeting(String name, int times) {}

  @Override
  public Map<String, Object> handleRequest(Greeting input, Context context) {
    return Map.of("message", "hello " + input.name(), "times", input.times());
  }
}
