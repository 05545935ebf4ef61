# Cloud Functions: without a VPC connector, or with one that carries only
# private ranges (the default), a function reaches the internet directly.
# One function of this module sends all its traffic through a connector,
# so egress is evidently managed here.

resource "google_service_account" "fn" {
  account_id = "functions"
}

# near miss: all traffic through the connector (the VPC's firewall rules,
# which isolint does not tie to the connector, decide: not checked)
resource "google_cloudfunctions_function" "billing" {
  name                          = "billing"
  runtime                       = "python312"
  service_account_email         = "billing@example-project.iam.gserviceaccount.com"
  vpc_connector                 = "projects/example-project/locations/europe-west1/connectors/egress"
  vpc_connector_egress_settings = "ALL_TRAFFIC"
}

resource "google_cloudfunctions_function" "webhook" { # want: egress-unrestricted
  name                  = "webhook"
  runtime               = "python312"
  service_account_email = "webhook@example-project.iam.gserviceaccount.com"
}

resource "google_cloudfunctions2_function" "ingest" {
  name     = "ingest"
  location = "europe-west1"
  service_config {
    service_account_email         = "ingest@example-project.iam.gserviceaccount.com"
    vpc_connector                 = "projects/example-project/locations/europe-west1/connectors/egress"
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY" # want: egress-unrestricted
  }
}

resource "google_cloudfunctions2_function" "report" {
  name     = "report"
  location = "europe-west1"
  service_config {
    service_account_email         = "report@example-project.iam.gserviceaccount.com"
    vpc_connector                 = "projects/example-project/locations/europe-west1/connectors/egress"
    vpc_connector_egress_settings = "ALL_TRAFFIC"
  }
}

# near miss: direct VPC egress of all traffic
resource "google_cloudfunctions2_function" "direct" {
  name     = "direct"
  location = "europe-west1"
  service_config {
    service_account_email = "direct@example-project.iam.gserviceaccount.com"
    direct_vpc_network_interface {
      network    = "default"
      subnetwork = "functions"
    }
    direct_vpc_egress = "VPC_EGRESS_ALL_TRAFFIC"
  }
}

resource "google_cloudfunctions2_function" "direct_private" {
  name     = "direct-private"
  location = "europe-west1"
  service_config {
    service_account_email = "direct-private@example-project.iam.gserviceaccount.com"
    direct_vpc_network_interface {
      network    = "default"
      subnetwork = "functions"
    }
    direct_vpc_egress = "VPC_EGRESS_PRIVATE_RANGES_ONLY" # want: egress-unrestricted
  }
}
