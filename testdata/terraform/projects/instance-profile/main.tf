# EC2 instances run as the role of their instance profile.

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "app_admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want: overprivileged-identity
}

resource "aws_iam_instance_profile" "app" {
  name = "app-profile"
  role = aws_iam_role.app.name
}

resource "aws_instance" "web" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.app.name # want: shared-execution-identity
  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_launch_template" "workers" {
  iam_instance_profile {
    name = "app-profile" # want: shared-execution-identity
  }
  metadata_options {
    http_tokens = "required"
  }
}

# its own profile and a narrow role: nothing to report
resource "aws_iam_role" "reporting" {
  name               = "reporting"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "reporting" {
  role = aws_iam_role.reporting.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_iam_instance_profile" "reporting" {
  role = "reporting"
}

resource "aws_launch_configuration" "reporting" {
  image_id             = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.reporting.arn
  metadata_options {
    http_tokens = "required"
  }
}

# a profile the scan does not define: its rights are unknown
resource "aws_instance" "legacy" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "arn:aws:iam::123456789012:instance-profile/legacy"
  metadata_options {
    http_tokens = "required"
  }
}
