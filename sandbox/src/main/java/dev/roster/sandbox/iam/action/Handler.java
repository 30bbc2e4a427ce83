package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.protocol.Xml;

/** One IAM or STS action: reads the call's parameters and writes the content of its Result. */
@FunctionalInterface
public interface Handler {
  void handle(Call call, Xml result);
}
