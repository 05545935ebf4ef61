module "container_definition" {
  source   = "./modules/cd"
  for_each = { app = { privileged = true }, side = { privileged = false } }

  name       = each.key
  image      = "example/${each.key}:1.0"
  privileged = each.value.privileged
  user       = "0"
  linuxParameters = {
    capabilities = { add = ["SYS_ADMIN"] }
  }
  secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:1:secret:db" }]
}

resource "aws_ecs_task_definition" "this" {
  family                = "svc"
  # the definitions are built in a module: findings sit on this attribute,
  # with the module call arguments that decide them as related locations
  container_definitions = jsonencode([for k, v in module.container_definition : v.container_definition]) # want: privileged-container, runs-as-root, secret-env-var, dangerous-capability, privilege-escalation, privilege-escalation
}
