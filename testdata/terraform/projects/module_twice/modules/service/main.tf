resource "aws_ecs_task_definition" "this" {
  family        = var.name
  task_role_arn = var.role_arn # want: shared-execution-identity

  container_definitions = jsonencode([
    {
      name       = var.name # want: writable-root-filesystem, writable-root-filesystem, privilege-escalation, privilege-escalation
      image      = "example/${var.name}:1.0"
      privileged = var.privileged # want: privileged-container
      portMappings = [
        for p in values(var.ports) : { containerPort = p }
      ]
    }
  ])

  pid_mode = "host" # want: host-namespace
}

resource "aws_ecs_task_definition" "per_port" {
  for_each = var.ports
  family   = "${var.name}-${each.key}"

  container_definitions = jsonencode([
    {
      name       = each.key # want: writable-root-filesystem, writable-root-filesystem, privilege-escalation, privilege-escalation
      image      = "example/${var.name}:1.0"
      privileged = each.key == "admin" # want: privileged-container
    }
  ])
}
