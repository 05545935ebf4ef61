# An aws_instance launched from a launch template takes the template's
# metadata options unless it sets its own: "Parameters configured on this
# resource will override the corresponding parameters in the launch
# template" (aws provider, aws_instance, launch_template).

variable "template_id" {
  type = string
}

resource "aws_launch_template" "secure" {
  name_prefix = "secure"
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

resource "aws_launch_template" "loose" { # want: metadata-credentials-reachable
  name_prefix = "loose"
}

# near misses: the template decides, and is judged where it is written
resource "aws_instance" "from_secure" {
  launch_template {
    id      = aws_launch_template.secure.id
    version = "$Latest"
  }
}

resource "aws_instance" "from_secure_by_name" {
  launch_template {
    name = aws_launch_template.secure.name
  }
}

resource "aws_instance" "from_loose" {
  launch_template {
    id = aws_launch_template.loose.id
  }
}

# a template outside the scan: its options are not known
resource "aws_instance" "from_elsewhere" {
  launch_template {
    id = var.template_id
  }
}

resource "aws_instance" "from_literal" {
  launch_template {
    name = "shared-nodes"
  }
}

# the instance's own options override the template's
resource "aws_instance" "own_options" {
  launch_template {
    id = aws_launch_template.secure.id
  }
  metadata_options {
    http_tokens = "optional" # want: metadata-credentials-reachable
  }
}
