# Called by envs/prod and envs/staging: each call is lowered in its own
# root module, with its own inputs, into a role of its own.

variable "name" {
  type = string
}

variable "actions" {
  type = list(string)
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

resource "aws_lambda_function" "worker" {
  function_name = "${var.name}-worker"
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "worker.handler"
  filename      = "worker.zip"
}
