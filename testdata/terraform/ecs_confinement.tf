# ECS containers and the confinement settings ECS offers: dockerSecurityOptions
# (seccomp, AppArmor, SELinux labels, no-new-privileges on EC2 hosts) and
# readonlyRootFilesystem.

resource "aws_ecs_task_definition" "tracer" {
  family        = "tracer"
  task_role_arn = "arn:aws:iam::123456789012:role/tracer"
  container_definitions = jsonencode([{
    name                   = "tracer" # want: privilege-escalation
    image                  = "example/tracer:1.0"
    user                   = "root" # want: runs-as-root
    readonlyRootFilesystem = true
    dockerSecurityOptions = [
      "seccomp:unconfined", # want: unconfined-profile
      "label:disable", # want: unconfined-profile
    ]
  }])
}

# near miss: Fargate offers neither dockerSecurityOptions nor a way to run
# as a non-root user other than the image's; nothing unset is reported
resource "aws_ecs_task_definition" "fargate" {
  family                   = "fargate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = "arn:aws:iam::123456789012:role/fargate"
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1.0"
    readonlyRootFilesystem = true
  }])
}

# near miss: confined, no-new-privileges, read-only, not root
resource "aws_ecs_task_definition" "confined" {
  family        = "confined"
  task_role_arn = "arn:aws:iam::123456789012:role/confined"
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "example/app:1.0"
    user                   = "10001"
    readonlyRootFilesystem = true
    dockerSecurityOptions  = ["no-new-privileges", "seccomp:/etc/ecs/app-seccomp.json"]
  }])
}
