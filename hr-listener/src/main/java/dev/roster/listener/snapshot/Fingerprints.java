package dev.roster.listener.snapshot;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * 64-bit fingerprints of values, to find duplicates among up to 100,000 rows in 8 bytes a row
 * instead of the values themselves: a repeated fingerprint marks a suspect, which a second pass
 * confirms on the values (so a collision is never reported as a duplicate).
 */
final class Fingerprints {
  private long[] values = new long[1024];
  private int size;

  void add(String value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = of(value);
  }

  /** The fingerprints seen more than once. */
  Set<Long> repeated() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    Set<Long> repeated = new HashSet<>();
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        repeated.add(sorted[i]);
      }
    }
    return repeated;
  }

  /** FNV-1a over the UTF-16 units, then MurmurHash3's finaliser to spread the bits. */
  static long of(String value) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      h ^= value.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe53e87c5L;
    h ^= h >>> 33;
    return h;
  }
}
