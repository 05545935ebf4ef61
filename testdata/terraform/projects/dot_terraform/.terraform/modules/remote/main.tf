resource "aws_ecs_task_definition" "downloaded" {
  family       = "downloaded"
  network_mode = "host"
}
