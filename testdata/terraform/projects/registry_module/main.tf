resource "aws_iam_role" "fn" {
  name = "fn"
}

resource "aws_iam_role_policy_attachment" "fn" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess" # want: overprivileged-identity
}

# the module is never fetched; the role passed in is the function's identity
module "ingest" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "~> 7.0"
  function_name = "ingest"
  create_role   = false
  lambda_role   = aws_iam_role.fn.arn # want: shared-execution-identity
  environment_variables = {
    STAGE     = "prod"
    API_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345" # want: literal-credential
  }
}

module "export" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "~> 7.0"
  function_name = "export"
  create_role   = false
  lambda_role   = aws_iam_role.fn.arn # want: shared-execution-identity
}

# near miss: the module creates its own role, which the scan cannot see
module "report" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "~> 7.0"
  function_name = "report"
}
