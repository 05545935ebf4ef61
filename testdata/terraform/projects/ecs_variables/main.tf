locals {
  image = "example/worker:${var.image_tag}"
  # the pid mode is known through two locals
  pid  = local.mode
  mode = "host"
}

resource "aws_iam_role" "task" {
  name = "worker-task"
}

resource "aws_ecs_task_definition" "worker" {
  family        = "worker"
  network_mode  = var.network_mode
  pid_mode      = local.pid # want: host-namespace
  task_role_arn = aws_iam_role.task.arn # want: shared-execution-identity

  container_definitions = jsonencode([
    {
      name                   = "worker" # want: privilege-escalation
      image                  = local.image
      privileged             = var.worker_privileged # want: privileged-container
      user                   = "0" # want: runs-as-root
      readonlyRootFilesystem = true
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db" } # want: secret-env-var
      ]
    },
    {
      name       = "sidecar" # want: writable-root-filesystem
      image      = "example/sidecar:1.0"
      privileged = false
      user       = "1000:1000"
    }
  ])
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.task.arn # want: shared-execution-identity
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"
  environment {
    variables = {
      DB_PASSWORD = var.report_db_password # want: literal-credential, secret-env-var
      DB_HOST     = "db.internal"
    }
  }
}

resource "aws_iam_role" "builder" {
  name = "builder"
}

resource "aws_codebuild_project" "build" {
  name         = "build"
  service_role = aws_iam_role.builder.arn
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
    privileged_mode = true # want: privileged-container

    environment_variable {
      name  = "NPM_TOKEN"
      value = "/ci/npm-token"
      type  = "PARAMETER_STORE" # want: secret-env-var
    }
    environment_variable {
      name  = "STAGE"
      value = "prod"
    }
  }
}
