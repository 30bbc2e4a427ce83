package dev.roster.provisioner.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one HR event is about to do to IAM, recorded before the first mutation. */
public record Intent(String eventId, String employeeId, List<JournaledOp> operations) {

  public Intent {
    operations = List.copyOf(operations);
  }

  /**
   * This intent plus the operations of another attempt of the same event, each change id once: what
   * an earlier attempt may have applied must stay known until the event is done.
   */
  public Intent with(List<JournaledOp> more) {
    Map<String, JournaledOp> byChangeId = new LinkedHashMap<>();
    operations.forEach(op -> byChangeId.putIfAbsent(op.changeId(), op));
    more.forEach(op -> byChangeId.putIfAbsent(op.changeId(), op));
    return new Intent(eventId, employeeId, new ArrayList<>(byChangeId.values()));
  }
}
