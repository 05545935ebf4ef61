# google_compute_firewall EGRESS rules as the google provider documents them.

variable "maintenance" {
  type = bool
}

resource "google_compute_firewall" "egress_all" {
  name               = "egress-all"
  network            = "default"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"] # want: egress-unrestricted
  allow {
    protocol = "all"
  }
}

# disabled: "the firewall rule is not enforced and the network behaves as
# if it did not exist"
resource "google_compute_firewall" "egress_disabled" {
  name               = "egress-disabled"
  network            = "default"
  direction          = "EGRESS"
  disabled           = true
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "all"
  }
}

# whether it is enforced is not known
resource "google_compute_firewall" "egress_maybe_disabled" {
  name               = "egress-maybe-disabled"
  network            = "default"
  direction          = "EGRESS"
  disabled           = var.maintenance
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "egress_enabled" {
  name               = "egress-enabled"
  network            = "default"
  direction          = "EGRESS"
  disabled           = false
  destination_ranges = ["::/0"] # want: egress-unrestricted
  allow {
    protocol = "all"
  }
}

# no destination_ranges: an egress rule applies to every destination
# ("If destination ranges are specified, the firewall will apply only to
# traffic that has destination IP address in these ranges"; GCP uses
# 0.0.0.0/0 for an egress rule that names none)
resource "google_compute_firewall" "egress_no_destination" { # want: egress-unrestricted
  name      = "egress-no-destination"
  network   = "default"
  direction = "EGRESS"
  allow {
    protocol = "all"
  }
}

# near misses
resource "google_compute_firewall" "egress_no_destination_https" {
  name      = "egress-no-destination-https"
  network   = "default"
  direction = "EGRESS"
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "deny_no_destination" {
  name      = "deny-no-destination"
  network   = "default"
  direction = "EGRESS"
  deny {
    protocol = "all"
  }
}

resource "google_compute_firewall" "ingress_no_source" {
  name    = "ingress-no-source"
  network = "default"
  allow {
    protocol = "all"
  }
}
