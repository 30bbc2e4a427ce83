package dev.roster.listener.messaging;

/** Kafka did not acknowledge every record in time: the events must not be reported accepted. */
public class PublishException extends Exception {
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
