resource "google_service_account" "run" {
  account_id = "run"
}

resource "google_cloud_run_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    spec { # want: default-service-account
      containers {
        image = "example/api:1.0"
        env {
          name = "API_KEY"
          value_from {
            secret_key_ref { # want: secret-env-var
              name = "api-key"
              key  = "latest"
            }
          }
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service" "web" {
  name     = "web"
  location = "europe-west1"
  template {
    service_account = google_service_account.run.email # want: shared-execution-identity
    containers {
      image = "example/web:1.0"
      env {
        name  = "STAGE"
        value = "prod"
      }
    }
  }
}

resource "google_cloud_run_v2_job" "batch" {
  name     = "batch"
  location = "europe-west1"
  template {
    template {
      service_account = google_service_account.run.email # want: shared-execution-identity
      containers {
        image = "example/batch:1.0"
      }
    }
  }
}

resource "google_compute_instance" "vm" {
  name         = "vm"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
  service_account {
    email  = "123456789012-compute@developer.gserviceaccount.com" # want: default-service-account
    scopes = ["cloud-platform"] # want: overprivileged-identity
  }
}

# no service_account block: the VM has no identity at all
resource "google_compute_instance" "no_identity" {
  name         = "no-identity"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
}
