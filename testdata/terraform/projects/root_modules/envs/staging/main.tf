# The same addresses as envs/prod, another state: staging's function runs
# as staging's role (no policy attached) behind staging's group (HTTPS
# only), and shares its role with no function of prod.

resource "aws_iam_role" "app" {
  name = "app-staging"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "fn-staging"
  role          = aws_iam_role.app.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
  vpc_config {
    subnet_ids         = ["subnet-4e5f6a7b"]
    security_group_ids = [aws_security_group.web.id]
  }
}

# the shared module, lowered again with staging's inputs: one action
module "app" {
  source  = "../../modules/app"
  name    = "app-staging"
  actions = ["s3:GetObject"]
}
