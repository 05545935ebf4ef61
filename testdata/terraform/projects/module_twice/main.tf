resource "aws_iam_role" "shared" {
  name = "services"
}

module "api" {
  source     = "./modules/service"
  name       = "api"
  privileged = true
  role_arn   = aws_iam_role.shared.arn
  ports      = { http = 8080 }
}

module "web" {
  source     = "./modules/service"
  name       = "web"
  privileged = false
  role_arn   = aws_iam_role.shared.arn
  ports      = { http = 80, admin = 9000 }
}

module "remote" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "5.0.0"
}

resource "aws_lambda_function" "uses_remote_role" {
  function_name = "remote"
  role          = module.remote.task_role_arn
}
