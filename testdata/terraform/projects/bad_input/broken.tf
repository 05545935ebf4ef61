resource "aws_ecs_task_definition" "broken" {
  family = "broken"
  network_mode = "host" # want: host-network
  oops = = "x" # want-notice: not valid Terraform
}
