# host-path-mount for ECS: a sensitive host path mounted writable is high,
# a named Docker volume or a task volume without host_path is not host reach.
resource "aws_iam_role" "task" {
  name               = "logs-task"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "logs" {
  family        = "logs"
  task_role_arn = aws_iam_role.task.arn
  volume {
    name      = "varlog"
    host_path = "/var/log" # want: host-path-mount
  }
  volume {
    name = "scratch"
  }
  volume {
    name = "cache"
    docker_volume_configuration {
      scope  = "shared"
      driver = "local"
    }
  }
  container_definitions = jsonencode([{
    name                   = "shipper"
    image                  = "example/shipper:1.0"
    user                   = "10001"
    readonlyRootFilesystem = true
    mountPoints = [
      { sourceVolume = "varlog", containerPath = "/host/log" },
      { sourceVolume = "scratch", containerPath = "/scratch" },
      { sourceVolume = "cache", containerPath = "/cache" },
    ]
  }])
}
