package dev.roster.policy;

/**
 * Three-valued logic: whether a statement (or one of its parts) applies to a request. {@code MAYBE}
 * is what the evaluator answers when it cannot decide, e.g. a condition on a key the request does
 * not know.
 */
enum Match {
  YES,
  MAYBE,
  NO;

  Match and(Match other) {
    if (this == NO || other == NO) {
      return NO;
    }
    return this == MAYBE || other == MAYBE ? MAYBE : YES;
  }

  Match or(Match other) {
    if (this == YES || other == YES) {
      return YES;
    }
    return this == MAYBE || other == MAYBE ? MAYBE : NO;
  }

  Match not() {
    return switch (this) {
      case YES -> NO;
      case NO -> YES;
      case MAYBE -> MAYBE;
    };
  }

  static Match of(boolean b) {
    return b ? YES : NO;
  }
}
