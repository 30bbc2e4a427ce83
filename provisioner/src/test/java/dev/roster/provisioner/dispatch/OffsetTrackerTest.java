package dev.roster.provisioner.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The committed offset never passes a record that is not finished. */
class OffsetTrackerTest {
  @Test
  void nothingFinishedCommitsNothing() {
    OffsetTracker t = new OffsetTracker();
    t.received(5);
    assertThat(t.commitPoint()).isEmpty();
  }

  @Test
  void recordsFinishingOutOfOrderCommitOnlyUpToTheLowestUnfinished() {
    OffsetTracker t = new OffsetTracker();
    for (long o = 10; o <= 14; o++) {
      t.received(o);
    }
    t.finished(12);
    t.finished(14);
    assertThat(t.commitPoint()).as("10 still running").hasValue(10);
    t.finished(10);
    assertThat(t.commitPoint()).as("11 still running").hasValue(11);
    t.finished(11);
    assertThat(t.commitPoint()).as("13 still running").hasValue(13);
    t.finished(13);
    assertThat(t.commitPoint()).hasValue(15);
  }

  @Test
  void aRecordThatNeverFinishesHoldsTheCommitForEver() {
    // A fenced record: its new owner must read it again, and everything after it.
    OffsetTracker t = new OffsetTracker();
    t.received(3);
    t.received(4);
    t.received(5);
    t.finished(4);
    t.finished(5);
    assertThat(t.commitPoint()).hasValue(3);
    assertThat(t.pending(3)).isTrue();
    assertThat(t.pending(4)).isFalse();
  }
}
