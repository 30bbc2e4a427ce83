package dev.roster.bench.micro;

import dev.roster.auditor.chain.ChainHash;
import dev.roster.auditor.chain.EntryMapper;
import dev.roster.auditor.chain.LogEntry;
import dev.roster.events.ChangeStatus;
import dev.roster.events.IamChange;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The auditor's chain hash of one IAM change entry (canonical JSON form, then SHA-256 of prevHash
 * || canonical) against a bare SHA-256 of the same bytes: the difference is the canonical
 * serialization.
 */
@State(Scope.Benchmark)
public class HashBench {
  LogEntry entry;
  byte[] prev;
  byte[] canonical;

  @Setup
  public void setUp() {
    IamChange change =
        new IamChange(
            "chg-evt-2026-11-28-0001-111111111111-RemoveUserFromGroup-developers",
            "evt-2026-11-28-0001",
            "E1001",
            "111111111111",
            "RemoveUserFromGroup",
            "alice.doe",
            "developers",
            ChangeStatus.APPLIED,
            null,
            "0c7e2a4b-8d4e-4d6a-9f0e-1b2c3d4e5f60",
            OffsetDateTime.parse("2026-11-28T09:00:01.123456Z"));
    entry =
        EntryMapper.iamChange(change)
            .chained(1_000_042, ChainHash.GENESIS, null, Instant.parse("2026-11-28T09:00:01.2Z"));
    prev = HexFormat.of().parseHex(ChainHash.GENESIS);
    canonical = ChainHash.canonical(entry);
  }

  @Benchmark
  public String canonicalHash() {
    return ChainHash.hash(ChainHash.GENESIS, entry);
  }

  @Benchmark
  public byte[] baselineRawSha256() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(prev);
    return sha.digest(canonical);
  }
}
