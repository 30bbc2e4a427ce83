package dev.roster.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One account's part of a {@link ProvisioningOutcome}: {@code account} is the 12-digit AWS account
 * id, {@code name} the account's name in the role mapping, {@code reason} why it failed or was
 * skipped (absent when completed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountOutcome(String account, String name, AccountState state, String reason) {}
