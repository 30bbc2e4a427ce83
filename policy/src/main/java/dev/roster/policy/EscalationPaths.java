package dev.roster.policy;

import java.util.List;

/**
 * The catalogue of privilege-escalation paths, after Rhino Security Labs, "AWS IAM Privilege
 * Escalation – Methods and Mitigation" (Spencer Gietzen, 2018; methods 1–21), plus the PassRole
 * paths through ECS, CodeBuild and SageMaker described since, and {@code sts:AssumeRole} on every
 * role. A {@code PassRole} requirement carries the service it passes the role to ({@code
 * iam:PassedToService}), so a PassRole limited to that service still counts.
 */
public final class EscalationPaths {
  private EscalationPaths() {}

  public static final List<EscalationPath> KNOWN =
      List.of(
          single("CreatePolicyVersion", "write a new default version of a managed policy"),
          single("SetDefaultPolicyVersion", "make an older, broader policy version the default"),
          withPassRole(
              "PassRole+EC2",
              "run an instance with a privileged instance profile",
              "ec2.amazonaws.com",
              "ec2:RunInstances"),
          single("CreateAccessKey", "create access keys for another user"),
          single("CreateLoginProfile", "give another user a console password"),
          single("UpdateLoginProfile", "change another user's console password"),
          single("AttachUserPolicy", "attach any managed policy to a user"),
          single("AttachGroupPolicy", "attach any managed policy to a group"),
          single("AttachRolePolicy", "attach any managed policy to a role"),
          single("PutUserPolicy", "write an inline policy on a user"),
          single("PutGroupPolicy", "write an inline policy on a group"),
          single("PutRolePolicy", "write an inline policy on a role"),
          single("AddUserToGroup", "join a more privileged group"),
          single("UpdateAssumeRolePolicy", "let oneself assume a privileged role"),
          withPassRole(
              "PassRole+Lambda",
              "create and invoke a function with a privileged role",
              "lambda.amazonaws.com",
              "lambda:CreateFunction",
              "lambda:InvokeFunction"),
          withPassRole(
              "PassRole+LambdaEventSource",
              "create a function with a privileged role triggered by an event source",
              "lambda.amazonaws.com",
              "lambda:CreateFunction",
              "lambda:CreateEventSourceMapping"),
          new EscalationPath(
              "UpdateFunctionCode",
              "replace the code of a function that runs with a privileged role",
              List.of(Request.of("lambda:UpdateFunctionCode"))),
          withPassRole(
              "PassRole+Glue",
              "create a Glue development endpoint with a privileged role",
              "glue.amazonaws.com",
              "glue:CreateDevEndpoint"),
          new EscalationPath(
              "UpdateDevEndpoint",
              "add one's SSH key to a Glue development endpoint with a privileged role",
              List.of(Request.of("glue:UpdateDevEndpoint"))),
          withPassRole(
              "PassRole+CloudFormation",
              "create a stack that acts with a privileged role",
              "cloudformation.amazonaws.com",
              "cloudformation:CreateStack"),
          withPassRole(
              "PassRole+DataPipeline",
              "run a pipeline with a privileged role",
              "datapipeline.amazonaws.com",
              "datapipeline:CreatePipeline",
              "datapipeline:PutPipelineDefinition"),
          withPassRole(
              "PassRole+ECS",
              "run a task with a privileged task role",
              "ecs-tasks.amazonaws.com",
              "ecs:RegisterTaskDefinition",
              "ecs:RunTask"),
          withPassRole(
              "PassRole+CodeBuild",
              "run a build with a privileged service role",
              "codebuild.amazonaws.com",
              "codebuild:CreateProject",
              "codebuild:StartBuild"),
          withPassRole(
              "PassRole+SageMaker",
              "open a notebook instance with a privileged role",
              "sagemaker.amazonaws.com",
              "sagemaker:CreateNotebookInstance"),
          new EscalationPath(
              "AssumeRole*",
              "assume any role whose trust policy trusts the account",
              List.of(Request.of("sts:AssumeRole", "*"))));

  private static EscalationPath single(String iamAction, String description) {
    return new EscalationPath(iamAction, description, List.of(Request.of("iam:" + iamAction)));
  }

  private static EscalationPath withPassRole(
      String id, String description, String service, String... actions) {
    List<Request> requires = new java.util.ArrayList<>();
    requires.add(Request.of("iam:PassRole").with("iam:PassedToService", service));
    for (String action : actions) {
      requires.add(Request.of(action));
    }
    return new EscalationPath(id, description, requires);
  }
}
