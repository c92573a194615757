package dev.poolshift.local.lambda.handlers;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Logs through Log4j, as Powertools-based handlers do. */
public class Log4jHandler {
  private static final Logger LOG = LogManager.getLogger(Log4jHandler.class);

  public String handle(Object input) {
    LOG.warn("decision weight=10 verdict=continue");
    return "ok";
  }
}
