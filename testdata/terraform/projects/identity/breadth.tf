data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ingest" {
  name               = "ingest"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "ingest" {
  role = aws_iam_role.ingest.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "*" },                          # want: overprivileged-identity
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }, # want: overprivileged-identity
      { Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }  # want: overprivileged-identity
    ]
  })
}

resource "aws_iam_role_policy_attachment" "ingest_power" {
  role       = aws_iam_role.ingest.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess" # want: overprivileged-identity
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = aws_iam_role.ingest.arn
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ingest:1"
}

# near misses: the same services scoped to one bucket and one secret, and a
# read-only managed policy
resource "aws_iam_role" "report" {
  name                = "report"
  assume_role_policy  = data.aws_iam_policy_document.assume_lambda.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"]
  inline_policy {
    name = "report"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "s3:*", Resource = ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"] },
        { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:report-db-*" },
        { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }
      ]
    })
  }
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report.arn
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/report:1"
}

resource "google_service_account" "api" {
  account_id = "api"
}

resource "google_project_iam_member" "api_storage" {
  project = "acme"
  role    = "roles/storage.admin" # want: overprivileged-identity
  member  = "serviceAccount:${google_service_account.api.email}"
}

# near miss: a narrow role
resource "google_project_iam_member" "api_reader" {
  project = "acme"
  role    = "roles/storage.objectViewer"
  member  = "serviceAccount:${google_service_account.api.email}"
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    service_account = google_service_account.api.email
    containers {
      image = "europe-docker.pkg.dev/acme/api/api:1"
    }
  }
}
