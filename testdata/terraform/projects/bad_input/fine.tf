resource "aws_ecs_task_definition" "after_broken" {
  family       = "fine"
  network_mode = "host" # want: host-network
}
