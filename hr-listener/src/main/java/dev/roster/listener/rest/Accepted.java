package dev.roster.listener.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** 202 body: the events are on Kafka, acknowledged by the broker. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(String eventId, String status, Integer count, List<String> eventIds) {
  static final String ACCEPTED = "accepted";

  static Accepted one(String eventId) {
    return new Accepted(eventId, ACCEPTED, null, null);
  }

  static Accepted batch(List<String> eventIds) {
    return new Accepted(null, ACCEPTED, eventIds.size(), eventIds);
  }
}
