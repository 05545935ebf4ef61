# Nothing here can be known offline: no finding may be confident.
variable "privileged" {
  type = bool
}

variable "network_mode" {
  type = string
}

data "aws_iam_role" "existing" {
  name = var.role_name
}

variable "role_name" {
  type = string
}

data "aws_ssm_parameter" "defs" {
  name = "/ecs/defs"
}

resource "aws_ecs_task_definition" "unknown" {
  family                = "unknown"
  network_mode          = var.network_mode
  pid_mode              = data.aws_ssm_parameter.defs.value
  task_role_arn         = data.aws_iam_role.existing.arn
  container_definitions = data.aws_ssm_parameter.defs.value
}

resource "aws_ecs_task_definition" "partly" {
  family        = "partly"
  task_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/app"
  container_definitions = jsonencode([
    {
      name       = "app"
      image      = "example/app:1.0"
      privileged = var.privileged
      user       = timestamp()
      readonlyRootFilesystem = true
    }
  ])
}

resource "aws_lambda_function" "unknown_role" {
  function_name = "fn"
  role          = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/app"
}

data "aws_caller_identity" "current" {}

resource "aws_codebuild_project" "unknown" {
  name         = "unknown"
  service_role = var.role_name
  artifacts {
    type = "NO_ARTIFACTS"
  }
  source {
    type = "GITHUB"
  }
  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/standard:7.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = var.privileged
    environment_variable {
      name  = "TOKEN"
      value = var.role_name
      type  = lookup(var.types, "token", "PLAINTEXT")
    }
  }
}

variable "types" {
  type = map(string)
}

resource "kubernetes_pod" "unknown" {
  metadata {
    name = "unknown"
  }
  spec { # want: service-account-token-automount
    service_account_name = var.role_name
    host_network         = var.privileged
    container {
      name  = "app"
      image = "example/app:1.0"
      security_context {
        privileged                = var.privileged
        run_as_non_root           = true
        run_as_user               = var.role_name
        allow_privilege_escalation = false
        read_only_root_filesystem = true
      }
    }
  }
}
