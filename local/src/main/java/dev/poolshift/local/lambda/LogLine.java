package dev.poolshift.local.lambda;

import java.time.Instant;

/** One line a function wrote (stdout/stderr, its {@code LambdaLogger}, or Lambda's START/END/REPORT). */
public record LogLine(Instant time, String functionName, String requestId, String text) {}
