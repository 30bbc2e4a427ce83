package dev.roster.listener.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.events.EventJson;
import dev.roster.events.EventValidator;
import dev.roster.events.FieldError;
import dev.roster.listener.RejectReason;
import dev.roster.listener.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A JSON array of employee objects, read with Jackson's streaming parser: one row's fields at a
 * time, never the document. Within a row, only what validation needs is kept (at most {@link
 * #MAX_FIELDS} fields, {@link EventValidator#MAX_ROLES} + 1 roles, nested values as empty
 * placeholders), so a row's memory is bounded whatever it holds. Strict like an event: duplicate
 * keys and content after the array are malformed JSON.
 */
final class JsonRows implements RowReader {
  /** More than any field allows ({@link EventValidator#MAX_REASON}); longer ends the read. */
  static final int MAX_STRING = 64 * 1024;

  /** The 9 fields of a row and room for unknown ones to be reported. */
  static final int MAX_FIELDS = 32;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(MAX_STRING)
                  .maxNestingDepth(64)
                  .build())
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonParser parser;
  private int number;
  private boolean done;

  JsonRows(InputStream in) throws IOException {
    this.parser = FACTORY.createParser(in);
    if (token() != JsonToken.START_ARRAY) {
      throw new Rejection(
          RejectReason.INVALID_SNAPSHOT,
          "the body must be a JSON array of employee objects",
          List.of(new FieldError("", "must be a JSON array of employee objects")));
    }
  }

  @Override
  public Row next() throws IOException {
    try {
      return row();
    } catch (JsonProcessingException e) {
      // A constraint (a string over MAX_STRING) may fail on reading a value, not only a token.
      throw malformed(e);
    }
  }

  private Row row() throws IOException {
    if (done) {
      return null;
    }
    JsonToken token = token();
    if (token == JsonToken.END_ARRAY) {
      done = true;
      if (token() != null) {
        throw malformed("content after the array");
      }
      return null;
    }
    number++;
    if (token != JsonToken.START_OBJECT) {
      JsonNode placeholder = token.isScalarValue() ? scalar(token) : NODES.arrayNode();
      parser.skipChildren();
      return new Row(number, placeholder, List.of());
    }
    ObjectNode row = NODES.objectNode();
    int fields = 0;
    while ((token = token()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = token();
      JsonNode node;
      if (value == JsonToken.START_ARRAY && name.equals("roles")) {
        node = roles();
      } else if (value.isScalarValue()) {
        node = scalar(value);
      } else {
        // Never a valid value here: the validator only needs to see that it is not a string.
        node = value == JsonToken.START_ARRAY ? NODES.arrayNode() : NODES.objectNode();
        parser.skipChildren();
      }
      if (fields++ < MAX_FIELDS) {
        row.set(name, node);
      }
    }
    return new Row(number, row, List.of());
  }

  private ArrayNode roles() throws IOException {
    ArrayNode roles = NODES.arrayNode();
    JsonToken token;
    while ((token = token()) != JsonToken.END_ARRAY) {
      JsonNode role = token.isScalarValue() ? scalar(token) : NODES.objectNode();
      if (!token.isScalarValue()) {
        parser.skipChildren();
      }
      // One more than allowed is enough for the validator to refuse the list.
      if (roles.size() <= EventValidator.MAX_ROLES) {
        roles.add(role);
      }
    }
    return roles;
  }

  private JsonNode scalar(JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NULL -> NullNode.instance;
      default -> EventJson.mapper().readTree(parser);
    };
  }

  private JsonToken token() throws IOException {
    try {
      JsonToken token = parser.nextToken();
      if (token == null && !done) {
        throw malformed("unexpected end of input");
      }
      return token;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
  }

  private static Rejection malformed(JsonProcessingException e) {
    FieldError error = EventValidator.malformed(e);
    return new Rejection(RejectReason.MALFORMED_JSON, error.reason(), List.of(error));
  }

  private Rejection malformed(String what) {
    var location = parser.currentLocation();
    FieldError error =
        new FieldError(
            "",
            "malformed JSON at line "
                + location.getLineNr()
                + ", column "
                + location.getColumnNr()
                + ": "
                + what);
    return new Rejection(RejectReason.MALFORMED_JSON, error.reason(), List.of(error));
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
