package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.protocol.Params;
import java.time.Instant;

/**
 * One request being served. {@code account} is the caller's account, already locked for IAM
 * actions; STS actions lock what they touch themselves.
 */
public record Call(
    String action, Params params, Caller caller, Account account, Store store, Instant now) {}
