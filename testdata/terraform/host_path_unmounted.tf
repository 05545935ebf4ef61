# host-path-mount for ECS: a host_path volume that no container's
# mountPoints names gives no access and is not reported; where the
# containers or their mount points cannot be read, it may be mounted, and is.
variable "containers" {
  type = string
}

variable "mounts" {
  type = list(object({ sourceVolume = string, containerPath = string }))
}

variable "volume_name" {
  type = string
}

resource "aws_iam_role" "unmounted" {
  name               = "unmounted"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "unknown_containers" {
  name               = "unknown-containers"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "unknown_mounts" {
  name               = "unknown-mounts"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "unknown_source" {
  name               = "unknown-source"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "unmounted" {
  # near miss: declared, mounted by no container
  family        = "unmounted"
  task_role_arn = aws_iam_role.unmounted.arn
  volume {
    name      = "service-storage"
    host_path = "/ecs/service-storage"
  }
  volume {
    name      = "etc"
    host_path = "/etc"
  }
  container_definitions = jsonencode([
    {
      name                   = "first"
      image                  = "example/first:1.0"
      user                   = "10001"
      readonlyRootFilesystem = true
      mountPoints            = []
    },
    {
      name                   = "second"
      image                  = "example/second:1.0"
      user                   = "10001"
      readonlyRootFilesystem = true
    }
  ])
}

resource "aws_ecs_task_definition" "unknown_containers" {
  family                = "unknown-containers"
  task_role_arn         = aws_iam_role.unknown_containers.arn
  container_definitions = var.containers
  volume {
    name      = "etc"
    host_path = "/etc" # want: host-path-mount
  }
}

resource "aws_ecs_task_definition" "unknown_mounts" {
  family        = "unknown-mounts"
  task_role_arn = aws_iam_role.unknown_mounts.arn
  volume {
    name      = "etc"
    host_path = "/etc" # want: host-path-mount
  }
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1.0"
    user                   = "10001"
    readonlyRootFilesystem = true
    mountPoints            = var.mounts
  }])
}

resource "aws_ecs_task_definition" "unknown_source" {
  family        = "unknown-source"
  task_role_arn = aws_iam_role.unknown_source.arn
  volume {
    name      = "etc"
    host_path = "/etc" # want: host-path-mount
  }
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1.0"
    user                   = "10001"
    readonlyRootFilesystem = true
    mountPoints            = [{ sourceVolume = var.volume_name, containerPath = "/host/etc" }]
  }])
}
