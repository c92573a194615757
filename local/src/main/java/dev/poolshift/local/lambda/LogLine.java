package dev.poolshift.local.lambda;

import java.time.Instant;

/**
 * One line a function wrote (stdout/stderr, its {@code LambdaLogger}, or Lambda's START/END/REPORT),
 * with the log stream of the execution environment that wrote it, as Lambda names streams
 * ({@code YYYY/MM/DD/[version]<32 hex>}).
 */
public record LogLine(Instant time, String functionName, String requestId, String text, String logStream) {}
