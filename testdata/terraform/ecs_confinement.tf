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
    environmentFiles = [
      { type = "s3", value = "arn:aws:s3:::tracer-config/secrets.env" }, # want: secret-env-bulk
      { type = "s3", value = "arn:aws:s3:::tracer-config/settings.env" },
    ]
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

# host devices: a device handed in, and /dev mounted as a host volume
resource "aws_ecs_task_definition" "emulator" {
  family        = "emulator"
  task_role_arn = "arn:aws:iam::123456789012:role/emulator"
  volume {
    name      = "dev"
    host_path = "/dev" # want: host-device
  }
  container_definitions = jsonencode([{
    name                   = "emulator"
    image                  = "example/emulator:1.0"
    user                   = "10001"
    readonlyRootFilesystem = true
    dockerSecurityOptions  = ["no-new-privileges"]
    linuxParameters = {
      devices = [{ hostPath = "/dev/kvm", containerPath = "/dev/kvm" }] # want: host-device
    }
    mountPoints = [{ sourceVolume = "dev", containerPath = "/host/dev", readOnly = true }]
  }])
}

# pid_mode "task": the containers of the task see each other's processes
resource "aws_ecs_task_definition" "profiled" {
  family        = "profiled"
  task_role_arn = "arn:aws:iam::123456789012:role/profiled"
  pid_mode      = "task" # want: shared-process-namespace
  container_definitions = jsonencode([
    { name = "app", image = "example/app:1.0", user = "10001", readonlyRootFilesystem = true, dockerSecurityOptions = ["no-new-privileges"] },
    { name = "profiler", image = "example/profiler:1.0", user = "10001", readonlyRootFilesystem = true, dockerSecurityOptions = ["no-new-privileges"] },
  ])
}
