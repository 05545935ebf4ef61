variable "image" {
  type    = string
  default = "example/app:1.0"
}

resource "aws_ecs_task_definition" "heredoc" {
  family = "heredoc"
  container_definitions = <<EOT
[
  {
    "name": "app",
    "image": "${var.image}",
    "privileged": true,
    "user": "root",
    "linuxParameters": {
      "capabilities": { "add": ["SYS_ADMIN"] }
    }
  }
]
EOT
}

resource "aws_ecs_task_definition" "from_file" {
  family                = "from-file"
  network_mode          = "host" # want: host-network
  container_definitions = file("${path.module}/defs/containers.json")
  volume {
    name      = "docker"
    host_path = "/var/run/docker.sock" # want: container-runtime-socket
  }
}

resource "aws_ecs_task_definition" "template" {
  family = "template"
  container_definitions = templatefile("${path.module}/defs/containers.json.tpl", { # want: privileged-container, writable-root-filesystem
    privileged = true
  })
}

resource "aws_ecs_task_definition" "missing_file" {
  family                = "missing"
  container_definitions = file("${path.module}/defs/does-not-exist.json")
}
