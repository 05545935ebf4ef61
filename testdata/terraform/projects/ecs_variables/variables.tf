variable "worker_privileged" {
  type    = bool
  default = false
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "image_tag" {
  type = string
}

variable "report_db_password" {
  type      = string
  sensitive = true
  default   = "correct-Horse-battery-9"
}
