# Called by envs/prod and envs/staging: each call is lowered in its own
# root module, with its own inputs, into a role of its own.

variable "name" {
  type = string
}

variable "actions" {
  type = list(string)
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "this" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] # want: overprivileged-identity
  })
}

# the worker runs in the VPC where the caller gives subnets (prod), and
# outside any where it gives none (staging): that one of prod's functions
# is attached says nothing of how staging's are meant to reach the network
resource "aws_lambda_function" "worker" {
  count         = length(var.subnet_ids) > 0 ? 1 : 0
  function_name = "${var.name}-worker"
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "worker.handler"
  filename      = "worker.zip"
  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_lambda_function" "worker_outside" {
  count         = length(var.subnet_ids) > 0 ? 0 : 1
  function_name = "${var.name}-worker"
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "worker.handler"
  filename      = "worker.zip"
}
