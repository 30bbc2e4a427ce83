package dev.roster.provisioner.review;

import dev.roster.policy.review.OrganizationFacts;

/** Reads the organization's layout and SCPs (AWS Organizations, from its management account). */
public interface OrganizationReader {
  /** The 12-digit id of the management account the reads are made as. */
  String managementAccountId();

  /**
   * Roots, OUs (all depths), member accounts with their parents, and the SCPs attached to each
   * root, OU and account with their content.
   */
  OrganizationFacts read();
}
