resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

# only the aud condition: any repository on GitHub can assume it
resource "aws_iam_role" "aud_only" {
  name = "aud-only"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn } # want: identity-trust-too-broad
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
      }
    }]
  })
}

# every repository of the organisation
resource "aws_iam_role" "org_wide" {
  name = "org-wide"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" } # want: identity-trust-too-broad
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = ["repo:acme/app:environment:prod", "repo:acme/*"] }
      }
    }]
  })
}

# anyone in any AWS account
resource "aws_iam_role" "public" {
  name               = "public"
  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "*" },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOT
}

data "aws_iam_policy_document" "gitlab_any_ref" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals { # want: identity-trust-too-broad
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/gitlab.com"]
    }
    condition {
      test     = "StringLike"
      variable = "gitlab.com:sub"
      values   = ["project_path:acme/app:*"]
    }
  }
}

resource "aws_iam_role" "gitlab_any_ref" {
  name               = "gitlab-any-ref"
  assume_role_policy = data.aws_iam_policy_document.gitlab_any_ref.json
}

# near misses: pinned to one repository and environment, a service
# principal, another account, a * principal narrowed to the organisation
resource "aws_iam_role" "pinned" {
  name = "pinned"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/app:environment:prod"
        }
      }
    }]
  })
}

data "aws_iam_policy_document" "lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda.json
}

resource "aws_iam_role" "cross_account" {
  name = "cross-account"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::444455556666:root" } }]
  })
}

resource "aws_iam_role" "org_only" {
  name = "org-only"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}

resource "google_iam_workload_identity_pool_provider" "github_any" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  oidc { # want: identity-trust-too-broad
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_iam_workload_identity_pool_provider" "github_pinned" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github-pinned"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }
  attribute_condition = "assertion.repository == \"acme/app\""
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "azurerm_user_assigned_identity" "deploy" {
  name                = "deploy"
  location            = "westeurope"
  resource_group_name = "rg"
}

# near miss: Azure compares subject exactly, so this admits only a token
# whose subject is the text "repo:acme/app:*", which GitHub never signs
resource "azurerm_federated_identity_credential" "literal_star" {
  name                = "github"
  resource_group_name = "rg"
  parent_id           = azurerm_user_assigned_identity.deploy.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:acme/app:*"
}

resource "azuread_application_registration" "deploy" {
  display_name = "deploy"
}

# a flexible credential's expression does match wildcards
resource "azuread_application_flexible_federated_identity_credential" "any_branch" {
  application_id             = azuread_application_registration.deploy.id
  display_name               = "github-branches"
  audience                   = "api://AzureADTokenExchange"
  issuer                     = "https://token.actions.githubusercontent.com"
  claims_matching_expression = "claims['sub'] matches 'repo:acme/app:*'" # want: identity-trust-too-broad
}

# near miss: one branch of one repository
resource "azuread_application_flexible_federated_identity_credential" "main" {
  application_id             = azuread_application_registration.deploy.id
  display_name               = "github-main"
  audience                   = "api://AzureADTokenExchange"
  issuer                     = "https://token.actions.githubusercontent.com"
  claims_matching_expression = "claims['sub'] eq 'repo:acme/app:ref:refs/heads/main'"
}

resource "azurerm_federated_identity_credential" "prod" {
  name                = "github-prod"
  resource_group_name = "rg"
  parent_id           = azurerm_user_assigned_identity.deploy.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:acme/app:environment:prod"
}
