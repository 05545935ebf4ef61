# Each root module is its own Terraform state: envs/prod and envs/staging
# both define aws_iam_role.app and aws_security_group.web, and neither
# sees the other's. Only prod's role is granted AdministratorAccess, only
# prod's group lets everything out.

resource "aws_iam_role" "app" {
  name = "app-prod"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want: overprivileged-identity
}

resource "aws_security_group" "web" {
  name = "web-prod"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # want: egress-unrestricted
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api-prod"
  role          = aws_iam_role.app.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  vpc_config {
    subnet_ids         = ["subnet-0a1b2c3d"]
    security_group_ids = [aws_security_group.web.id] # want: egress-unrestricted
  }
}

# the shared module, lowered with prod's inputs: every action
module "app" {
  source  = "../../modules/app"
  name       = "app-prod"
  actions    = ["*"]
  subnet_ids = ["subnet-0a1b2c3d"]
}
