variable "name" {
  type = string
}

# every call overrides this default: it must not give a finding by itself
variable "privileged" {
  type    = bool
  default = true
}

variable "role_arn" {
  type = string
}

variable "ports" {
  type = map(number)
}
