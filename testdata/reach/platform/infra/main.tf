resource "aws_iam_role" "deployer" {
  name               = "ledger-deployer"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "deployer" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:UpdateFunctionCode", "s3:PutObject"]
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "ledger_sync" {
  function_name = "ledger-sync"
  role          = aws_iam_role.deployer.arn
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger-sync:1"
}

resource "aws_instance" "bastion" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.bastion.name
  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_iam_role" "bastion" {
  name               = "bastion"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "bastion" {
  role = aws_iam_role.bastion.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameters"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_instance_profile" "bastion" {
  name = "bastion"
  role = aws_iam_role.bastion.name
}
