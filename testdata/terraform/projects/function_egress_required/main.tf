# With require-egress-policy, a function outside any VPC is reported even
# when nothing else in the scan is attached to one.

resource "aws_lambda_function" "resize" { # want: egress-unrestricted
  function_name = "resize"
  role          = "arn:aws:iam::123456789012:role/resize"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "resize.zip"
}

# near miss: unknown whether it is attached (the whole block is computed
# by a dynamic block over a variable): not checked, never reported
variable "vpc" {
  type = list(object({ subnet_ids = list(string), security_group_ids = list(string) }))
}

resource "aws_lambda_function" "sync" {
  function_name = "sync"
  role          = "arn:aws:iam::123456789012:role/sync"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "sync.zip"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = var.vpc[0].security_group_ids
  }
}
