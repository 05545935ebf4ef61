variable "operating_system_family" {
  type    = string
  default = "LINUX"
}
variable "service" {
  type    = string
  default = null
}
variable "name" {
  type    = string
  default = null
}
variable "image" {
  type    = string
  default = null
}
variable "privileged" {
  type    = bool
  default = false
}
variable "user" {
  type    = string
  default = null
}
variable "readonlyRootFilesystem" {
  type    = bool
  default = true
}
variable "environment" {
  type = list(object({
    name  = string
    value = string
  }))
  default = []
}
variable "secrets" {
  type = list(object({
    name      = string
    valueFrom = string
  }))
  default = []
}
variable "linuxParameters" {
  type = object({
    capabilities = optional(object({
      add  = optional(list(string))
      drop = optional(list(string))
    }))
    initProcessEnabled = optional(bool)
  })
  default = {}
}
variable "enable_execute_command" {
  type    = bool
  default = false
}
variable "create_cloudwatch_log_group" {
  type    = bool
  default = true
}
variable "logConfiguration" {
  type    = any
  default = {}
}
variable "cloudwatch_log_group_name" {
  type    = string
  default = null
}
variable "restartPolicy" {
  type    = any
  default = { enabled = true }
}
variable "portMappings" {
  type    = any
  default = null
}
