package dev.roster.auditor.notify;

/**
 * One notification: {@code notificationId} names the fact it reports (unique in the outbox, so a
 * fact is announced once, and the receiver can deduplicate a repeated delivery by it), {@code
 * eventId} the HR event it concerns or null, {@code body} the JSON sent. {@code seq} is the outbox
 * row's, 0 before it is stored.
 */
public record Notification(
    long seq, String notificationId, NotificationKind kind, String eventId, String body) {

  /** Before it is stored. */
  public Notification(String notificationId, NotificationKind kind, String eventId, String body) {
    this(0, notificationId, kind, eventId, body);
  }

  /** How logs name it: the id and the event, never the body's details. */
  public String describe() {
    return notificationId + (eventId == null ? "" : " (event " + eventId + ")");
  }
}
