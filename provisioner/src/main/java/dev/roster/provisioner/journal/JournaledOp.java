package dev.roster.provisioner.journal;

import dev.roster.provisioner.plan.IamAction;
import dev.roster.provisioner.plan.Operation;
import java.util.List;
import java.util.Map;

/**
 * One intended IAM mutation as recorded in the journal, with the change id it is (or will be)
 * published under.
 *
 * @param account the account's name in the role mapping
 * @param accountId the account id, as in change records
 */
public record JournaledOp(
    String changeId,
    String account,
    String accountId,
    IamAction action,
    String userName,
    String target,
    Map<String, String> tags,
    List<String> tagKeys) {

  public JournaledOp {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    tagKeys = tagKeys == null ? List.of() : List.copyOf(tagKeys);
  }

  public static JournaledOp of(String changeId, String account, String accountId, Operation op) {
    return new JournaledOp(
        changeId,
        account,
        accountId,
        op.action(),
        op.userName(),
        op.target(),
        op.tags(),
        op.tagKeys());
  }
}
