resource "aws_iam_role" "admin" {
  name = "admin-task"
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want: overprivileged-identity
}

resource "aws_lambda_function" "admin" {
  function_name = "admin"
  role          = aws_iam_role.admin.arn
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["ecs:UpdateService", "iam:PassRole"] # want: overprivileged-identity
          Resource = "*"
        },
        {
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = "*"
        }
      ]
    })
  }
}

resource "aws_codebuild_project" "deploy" {
  name         = "deploy"
  service_role = aws_iam_role.deployer.arn
  artifacts {
    type = "NO_ARTIFACTS"
  }
  source {
    type = "GITHUB"
  }
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
  }
}

data "aws_iam_policy_document" "star" {
  statement {
    actions   = ["*"] # want: overprivileged-identity
    resources = ["*"]
  }
}

resource "aws_iam_role" "task" {
  name = "task"
}

resource "aws_iam_role_policy" "task" {
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.star.json
}

resource "aws_ecs_task_definition" "task" {
  family        = "task"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([
    { name = "task", image = "example/task:1.0", readonlyRootFilesystem = true, user = "1000" }
  ])
}

# near misses: scoped PassRole, a conditioned wildcard, and an admin role no workload uses
resource "aws_iam_role" "scoped" {
  name = "scoped"
  inline_policy {
    name = "scoped"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = "iam:PassRole"
          Resource = "arn:aws:iam::111122223333:role/ecs-task"
        },
        {
          Effect    = "Allow"
          Action    = "*"
          Resource  = "*"
          Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
        }
      ]
    })
  }
}

resource "aws_lambda_function" "scoped" {
  function_name = "scoped"
  role          = aws_iam_role.scoped.arn
}

resource "aws_iam_role" "unused_admin" {
  name                = "unused-admin"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "google_service_account" "api" {
  account_id = "api"
}

resource "google_project_iam_member" "api_editor" {
  project = "my-project"
  role    = "roles/editor" # want: overprivileged-identity
  member  = "serviceAccount:${google_service_account.api.email}"
}

# near miss: a narrow role
resource "google_project_iam_member" "api_logs" {
  project = "my-project"
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.api.email}"
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    service_account = google_service_account.api.email
    containers {
      image = "example/api:1.0"
    }
  }
}

# An explicit deny of every action on every resource overrides every allow
# of the role's policies, the managed ones included
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
# a disabled role grants nothing.
resource "aws_iam_role" "disabled" {
  name = "disabled"
  inline_policy {
    name = "quarantine"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "*", Resource = "*" },
        { Effect = "Deny", Action = "*", Resource = "*" },
      ]
    })
  }
}

resource "aws_iam_role_policy_attachment" "disabled" {
  role       = aws_iam_role.disabled.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "disabled" {
  function_name = "disabled"
  role          = aws_iam_role.disabled.arn
}

# A deny that holds only under a condition leaves the grants standing.
resource "aws_iam_role" "conditional_deny" {
  name = "conditional-deny"
  inline_policy {
    name = "most-of-the-time"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "*", Resource = "*" }, # want: overprivileged-identity
        { Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } },
      ]
    })
  }
}

resource "aws_lambda_function" "conditional_deny" {
  function_name = "conditional-deny"
  role          = aws_iam_role.conditional_deny.arn
}
