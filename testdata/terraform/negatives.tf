# Near misses: every setting here is one step from a finding, and none may fire.

resource "aws_iam_role" "a" {
  name = "a"
}

resource "aws_iam_role" "b" {
  name = "b"
}

resource "aws_ecs_task_definition" "quiet" {
  family        = "quiet"
  network_mode  = "awsvpc"
  pid_mode      = "task"
  ipc_mode      = "none"
  task_role_arn = aws_iam_role.a.arn
  container_definitions = jsonencode([
    {
      name                   = "app"
      image                  = "example/app:1.0"
      privileged             = false
      user                   = "10001:10001"
      readonlyRootFilesystem = true
      environment = [
        { name = "DB_PASSWORD_FILE", value = "/run/secrets/db" },
        { name = "LOG_LEVEL", value = "info" }
      ]
    }
  ])
}

resource "aws_lambda_function" "quiet" {
  function_name = "quiet"
  role          = aws_iam_role.b.arn
  environment {
    variables = {
      TABLE = "orders"
    }
  }
}

resource "aws_codebuild_project" "quiet" {
  name         = "quiet"
  service_role = "arn:aws:iam::111122223333:role/codebuild-quiet"
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
    privileged_mode = false
    environment_variable {
      name  = "STAGE"
      value = "prod"
      type  = "PLAINTEXT"
    }
  }
}

resource "kubernetes_deployment_v1" "quiet" {
  metadata {
    name = "quiet"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name            = "quiet"
        automount_service_account_token = false
        host_network                    = false
        host_pid                        = false
        security_context {
          run_as_non_root = true
          run_as_user     = "10001"
        }
        container {
          name  = "app"
          image = "example/app:1.0"
          env {
            name  = "MODE"
            value = "api"
          }
          security_context {
            privileged                 = false
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service" "quiet" {
  name     = "quiet"
  location = "europe-west1"
  template {
    service_account = "quiet@my-project.iam.gserviceaccount.com"
    containers {
      image = "example/quiet:1.0"
    }
  }
}
