resource "kubernetes_deployment" "web" {
  metadata {
    name = "web"
  }
  spec {
    template {
      metadata {
        name = "web"
      }
      spec {
        container {
          name  = "web"
          image = "nginx:1.27"
          security_context {
            allow_privilege_escalation = false
            capabilities {
              add = ["NET_ADMIN", "CHOWN"]
            }
          }
        }
      }
    }
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = aws_iam_role.worker.arn
  container_definitions = jsonencode([
    {
      name  = "worker"
      image = "example/worker:1.4"
      user  = "10001"
      linuxParameters = {
        capabilities = { add = ["NET_ADMIN"] }
      }
    },
    {
      name                   = "sidecar"
      image                  = "example/sidecar:2"
      user                   = "10001"
      readonlyRootFilesystem = true
    }
  ])
}

resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = data.aws_iam_policy_document.ecs.json
}

data "aws_iam_policy_document" "ecs" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_ecs_task_definition" "agent" {
  family                   = "agent"
  requires_compatibilities = ["EC2"]
  task_role_arn            = "arn:aws:iam::123456789012:role/agent"
  container_definitions = jsonencode([{
    name                   = "agent"
    image                  = "example/agent:3"
    readonlyRootFilesystem = true
  }])
}
