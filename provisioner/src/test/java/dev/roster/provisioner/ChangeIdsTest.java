package dev.roster.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChangeIdsTest {
  @Test
  void sameInputsGiveTheSameVersion5Id() {
    String a = ChangeIds.of("ev-1", "111111111111", "AddUserToGroup", "developers");

    assertThat(ChangeIds.of("ev-1", "111111111111", "AddUserToGroup", "developers")).isEqualTo(a);
    assertThat(UUID.fromString(a).version()).isEqualTo(5);
    assertThat(UUID.fromString(a).variant()).isEqualTo(2);
  }

  @Test
  void anyDifferentPartGivesAnotherId() {
    String a = ChangeIds.of("ev-1", "111111111111", "AddUserToGroup", "developers");

    assertThat(ChangeIds.of("ev-2", "111111111111", "AddUserToGroup", "developers"))
        .isNotEqualTo(a);
    assertThat(ChangeIds.of("ev-1", "222222222222", "AddUserToGroup", "developers"))
        .isNotEqualTo(a);
    assertThat(ChangeIds.of("ev-1", "111111111111", "RemoveUserFromGroup", "developers"))
        .isNotEqualTo(a);
    assertThat(ChangeIds.of("ev-1", "111111111111", "AddUserToGroup", "qa")).isNotEqualTo(a);
  }
}
