package dev.roster.provisioner.config;

import java.util.List;

/** The role mapping cannot be used: every problem found, each naming where it is. */
public class RoleMappingException extends RuntimeException {
  private final List<String> problems;

  public RoleMappingException(String source, List<String> problems) {
    super("invalid role mapping " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
