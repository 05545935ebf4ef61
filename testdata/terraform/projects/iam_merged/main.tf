# aws_iam_policy_document merges: the statements of source_policy_documents,
# then its own, then override_policy_documents', a later statement replacing
# an earlier one of the same sid.

data "aws_iam_policy_document" "base" {
  statement {
    actions   = ["*"] # want: overprivileged-identity
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::assets/*"]
  }
}

data "aws_iam_policy_document" "broad" {
  statement {
    sid       = "Data"
    actions   = ["*"]
    resources = ["*"]
  }
}

# the override replaces the broad statement of the same sid
data "aws_iam_policy_document" "narrowed" {
  source_policy_documents = [data.aws_iam_policy_document.broad.json]
  override_policy_documents = [jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Data", Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::assets/*"] }]
  })]
}

resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "fn" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.merged.json
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_iam_role" "narrow" {
  name = "narrow"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "narrow" {
  role   = aws_iam_role.narrow.id
  policy = data.aws_iam_policy_document.narrowed.json
}

resource "aws_lambda_function" "narrow" {
  function_name = "narrow"
  role          = aws_iam_role.narrow.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

# documents merged into each other (Terraform refuses the cycle): read to a
# bounded depth, never forever
data "aws_iam_policy_document" "ping" {
  source_policy_documents = [data.aws_iam_policy_document.pong.json]
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:q"]
  }
}

data "aws_iam_policy_document" "pong" {
  source_policy_documents = [data.aws_iam_policy_document.ping.json]
}

resource "aws_iam_role_policy" "cycle" {
  role   = aws_iam_role.narrow.id
  policy = data.aws_iam_policy_document.ping.json
}
