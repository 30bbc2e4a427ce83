package dev.roster.provisioner.iam;

/**
 * Thrown when this process lost the event's partition while applying it: another consumer now owns
 * the employee, so no further mutation (nor retry of one) may be made here, and nothing may be
 * published. The journal intent stays open; the new owner's delivery records what was applied.
 */
public final class Fenced extends RuntimeException {
  public Fenced(String what) {
    super(what + ": the partition was handed over while it was applied", null, false, false);
  }
}
