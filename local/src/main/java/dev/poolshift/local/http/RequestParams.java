package dev.poolshift.local.http;

import java.time.Instant;
import java.util.List;

/**
 * An operation's input, read by member name whatever the protocol carried it in: Query form
 * parameters ({@link QueryParams}) or a JSON / CBOR document ({@link NodeParams}). Lists are
 * read with {@link #members} / {@link #strings}, nested structures with {@link #sub}. A value of
 * the wrong type is the protocol's own client error (Query: {@code ValidationError}; JSON and
 * CBOR: {@code SerializationException}).
 */
public interface RequestParams {
  /** The view of the structure member {@code name}. */
  RequestParams sub(String name);

  /** The member's path for error messages, in the Query form ({@code A.member.1.B}). */
  String path(String name);

  /** Whether the structure member {@code name} was sent with any content. */
  boolean hasStructure(String name);

  /** Whether member {@code name} was sent at all (an empty list counts). */
  boolean isPresent(String name);

  String string(String name);

  Integer integer(String name);

  Double decimal(String name);

  Boolean bool(String name);

  Instant instant(String name);

  /** The elements of the list of structures {@code name}; empty when absent. */
  List<? extends RequestParams> members(String name);

  /** A list of strings; null when the list was not sent at all. */
  List<String> strings(String name);
}
