# Inline ignores work in both comment styles; a stale one is reported.
resource "aws_ecs_task_definition" "exporter" {
  family       = "exporter"
  network_mode = "host" # isolint:ignore host-network -- node exporter reads host interfaces (SEC-1)
  pid_mode     = "host" // isolint:ignore host-namespace -- profiler attaches to host processes (SEC-2)
  ipc_mode     = "none" # isolint:ignore host-namespace -- stale # want: unused-ignore
}
