package dev.roster.provisioner;

import dev.roster.provisioner.journal.Intent;
import dev.roster.provisioner.journal.Journal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The journal as a map, surviving the "crash" of a provisioner instance in unit tests. */
final class InMemoryJournal implements Journal {
  final Map<String, Intent> intents = new HashMap<>();
  int writes;

  @Override
  public Optional<Intent> unfinished(String eventId) {
    return Optional.ofNullable(intents.get(eventId));
  }

  @Override
  public void begin(Intent intent) {
    writes++;
    intents.put(intent.eventId(), intent);
  }

  @Override
  public void done(String eventId) {
    writes++;
    intents.remove(eventId);
  }
}
