resource "google_cloudfunctions_function" "gen1" { # want: default-service-account
  name    = "gen1"
  runtime = "python312"
  environment_variables = {
    STAGE         = "prod"
    SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/abcdefghijklmnopqrstuvwx" # want: literal-credential
  }
  secret_environment_variables { # want: secret-env-var
    key     = "DB_PASSWORD"
    secret  = "db-password"
    version = "latest"
  }
}

resource "google_service_account" "fn" {
  account_id = "fn"
}

resource "google_cloudfunctions2_function" "ingest" {
  name     = "ingest"
  location = "europe-west1"
  service_config {
    service_account_email = google_service_account.fn.email # want: shared-execution-identity
    environment_variables = {
      STAGE = "prod"
    }
  }
}

resource "google_cloudfunctions2_function" "export" {
  name     = "export"
  location = "europe-west1"
  service_config {
    service_account_email = google_service_account.fn.email # want: shared-execution-identity
  }
}

resource "google_cloudfunctions2_function" "no_config" { # want: default-service-account
  name     = "no-config"
  location = "europe-west1"
}

# near miss: its own service account, no literal secrets
resource "google_service_account" "report" {
  account_id = "report"
}

resource "google_cloudfunctions2_function" "report" {
  name     = "report"
  location = "europe-west1"
  service_config {
    service_account_email = google_service_account.report.email
    environment_variables = {
      BUCKET = "reports"
    }
  }
}

resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1
  workload_identity_config {
    workload_pool = "acme.svc.id.goog"
  }
}

resource "google_container_node_pool" "legacy" {
  name    = "legacy"
  cluster = google_container_cluster.main.id
  node_config {                                                       # want: default-service-account
    oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"] # want: overprivileged-identity
    metadata = {
      disable-legacy-endpoints = "false" # want: metadata-credentials-reachable
    }
    workload_metadata_config {
      mode = "GCE_METADATA" # want: metadata-credentials-reachable
    }
  }
}

# near miss: a dedicated node account, metadata hidden from pods
resource "google_service_account" "nodes" {
  account_id = "gke-nodes"
}

resource "google_container_node_pool" "hardened" {
  name    = "hardened"
  cluster = google_container_cluster.main.id
  node_config {
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    metadata = {
      disable-legacy-endpoints = "true"
    }
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

resource "google_container_node_pool" "hardened_too" {
  name    = "hardened-too"
  cluster = google_container_cluster.main.id
  node_config {
    service_account = google_service_account.nodes.email
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# the default pool, with node_config left out: the default compute account
resource "google_container_cluster" "default_pool" { # want: default-service-account
  name               = "default-pool"
  location           = "europe-west1"
  initial_node_count = 1
}

# node_pool blocks replace the default pool
resource "google_container_cluster" "inline_pools" {
  name     = "inline-pools"
  location = "europe-west1"
  node_pool {
    name = "apps"
    node_config {
      service_account = google_service_account.nodes.email
      workload_metadata_config {
        mode = "GCE_METADATA" # want: metadata-credentials-reachable
      }
    }
  }
}
