package dev.roster.policy.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.HexFormat;

/**
 * An SCP's content hash: SHA-256 (64 lower-case hex digits) of its JSON in a normal form — parsed,
 * then written again with every object's keys sorted and no whitespace, arrays in their order — so
 * that reformatting or reordering keys is not a change, but any other edit is. Content that is not
 * JSON is hashed as it is.
 */
public final class ScpHash {
  private static final ObjectMapper READ =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper WRITE =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ScpHash() {}

  public static String of(String content) {
    return HexFormat.of().formatHex(FindingIds.sha256(normal(content)));
  }

  /** The normal form hashed. */
  static String normal(String content) {
    try {
      // Read as maps and lists, so that writing sorts every map's keys at every depth.
      return WRITE.writeValueAsString(READ.readValue(content, Object.class));
    } catch (JsonProcessingException e) {
      return content;
    }
  }
}
