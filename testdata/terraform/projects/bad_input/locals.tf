locals {
  a = local.b # want-notice: refers to itself
  b = local.a
}

resource "aws_ecs_task_definition" "cyclic" {
  family       = "cyclic"
  network_mode = local.a
}
