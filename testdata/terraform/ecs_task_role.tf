# An ECS task with an execution role but no task role: on EC2 hosts its
# containers take the instance role's credentials (default-service-account);
# on Fargate they get none; with a task role they get only that.
resource "aws_iam_role" "exec" {
  name               = "ecs-exec"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "on_ec2" { # want: default-service-account
  family             = "on-ec2"
  execution_role_arn = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1"
    user                   = "10001"
    readonlyRootFilesystem = true
  }])
}

resource "aws_ecs_task_definition" "mixed" { # want: default-service-account
  family                   = "mixed"
  requires_compatibilities = ["EC2", "FARGATE"]
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1"
    user                   = "10001"
    readonlyRootFilesystem = true
  }])
}

# near misses
resource "aws_ecs_task_definition" "fargate" {
  family                   = "fargate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1"
    user                   = "10001"
    readonlyRootFilesystem = true
  }])
}

resource "aws_iam_role" "task" {
  name               = "ecs-task"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "with_task_role" {
  family             = "with-task-role"
  execution_role_arn = aws_iam_role.exec.arn
  task_role_arn      = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1"
    user                   = "10001"
    readonlyRootFilesystem = true
  }])
}
