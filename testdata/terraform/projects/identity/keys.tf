resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_access_key" "deploy" { # want: long-lived-credential
  user = aws_iam_user.deploy.name
}

# near miss: a deactivated key authenticates nothing
resource "aws_iam_access_key" "old" {
  user   = aws_iam_user.deploy.name
  status = "Inactive"
}

resource "google_service_account" "ci" {
  account_id = "ci"
}

resource "google_service_account_key" "ci" { # want: long-lived-credential
  service_account_id = google_service_account.ci.name
}

resource "azuread_application" "app" {
  display_name = "app"
}

resource "azuread_application_password" "forever" { # want: long-lived-credential
  application_id = azuread_application.app.id
}

resource "azuread_service_principal_password" "long" {
  service_principal_id = "00000000-0000-0000-0000-000000000000"
  start_date           = "2026-01-01T00:00:00Z"
  end_date             = "2029-01-01T00:00:00Z" # want: long-lived-credential
}

resource "azuread_application_password" "relative" {
  application_id    = azuread_application.app.id
  end_date_relative = "17520h" # want: long-lived-credential
}

# near misses: a 90-day secret, one rotated by time_rotating, one whose end is a variable
resource "azuread_application_password" "short" {
  application_id    = azuread_application.app.id
  end_date_relative = "2160h"
}

resource "time_rotating" "app" {
  rotation_days = 90
}

resource "azuread_application_password" "rotated" {
  application_id = azuread_application.app.id
  end_date       = time_rotating.app.rotation_rfc3339
}

variable "end" {
  type = string
}

resource "azuread_application_password" "var" {
  application_id = azuread_application.app.id
  end_date       = var.end
}

resource "kubernetes_secret_v1" "token" {
  metadata {
    name = "deployer-token"
    annotations = {
      "kubernetes.io/service-account.name" = "deployer"
    }
  }
  type = "kubernetes.io/service-account-token" # want: long-lived-credential
}

# near miss: an opaque Secret
resource "kubernetes_secret_v1" "opaque" {
  metadata {
    name = "app"
  }
  type = "Opaque"
}
