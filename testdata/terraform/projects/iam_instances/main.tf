# Instances of one count / for_each resource are reported once, as a module
# called twice is (docs/terraform.md, "Where findings point").

locals {
  functions = toset(["ingest", "export"])
}

# one role per function, each granted every action by its own instance of
# one policy resource
resource "aws_iam_role" "fn" {
  for_each = local.functions
  name     = each.key
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions
  role     = aws_iam_role.fn[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] # want: overprivileged-identity
  })
}

resource "aws_lambda_function" "fn" {
  for_each      = local.functions
  function_name = each.key
  role          = aws_iam_role.fn[each.key].arn
}

# one role, given iam:PassRole on every role by two instances of one policy
resource "aws_iam_role" "worker" {
  name = "worker"
}

resource "aws_iam_role_policy" "worker" {
  count = 2
  role  = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }] # want: overprivileged-identity
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
}

# inline policies of the instances of one role
resource "aws_iam_role" "job" {
  count = 2
  name  = "job-${count.index}"
  inline_policy {
    name = "all"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] # want: overprivileged-identity
    })
  }
}

resource "aws_lambda_function" "job" {
  count         = 2
  function_name = "job-${count.index}"
  role          = aws_iam_role.job[count.index].arn
}
