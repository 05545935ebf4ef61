variable "egress_cidr" {
  type = string
}

resource "aws_security_group" "open" {
  name = "open"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # want: egress-unrestricted
  }
  # near miss: every address, one port
  egress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

# near miss: no egress block at all (Terraform removes AWS's default rule)
resource "aws_security_group" "closed" {
  name = "closed"
}

resource "aws_security_group_rule" "all_out" {
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "all"
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"] # want: egress-unrestricted
  security_group_id = aws_security_group.closed.id
}

# near miss: the destination is unknown offline
resource "aws_security_group_rule" "unknown" {
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = [var.egress_cidr]
  security_group_id = aws_security_group.closed.id
}

resource "aws_vpc_security_group_egress_rule" "v6" {
  security_group_id = aws_security_group.closed.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0" # want: egress-unrestricted
}

resource "aws_vpc_security_group_egress_rule" "vpc_only" {
  security_group_id = aws_security_group.closed.id
  ip_protocol       = "-1"
  cidr_ipv4         = "10.0.0.0/16"
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

resource "google_compute_firewall" "egress_https" {
  name               = "egress-https"
  network            = "default"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "out-any"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet" # want: egress-unrestricted
  }
  security_rule {
    name                       = "deny-rest"
    priority                   = 4000
    direction                  = "Outbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
