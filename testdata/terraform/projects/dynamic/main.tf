# A dynamic block iterates over any collection: a map or object (keyed by
# its keys), a set (keyed by its elements), a list or tuple (keyed by
# index). lookup takes a null default, or none.

variable "metadata_options" {
  type = map(string)
  default = {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}

resource "aws_instance" "tuple" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  dynamic "metadata_options" {
    for_each = [{ http_tokens = "optional" }]
    content {
      http_tokens = metadata_options.value.http_tokens # want: metadata-credentials-reachable
    }
  }
}

# the terraform-aws-modules idiom: one block when options are given
resource "aws_launch_template" "conditional" {
  name = "nodes"
  dynamic "metadata_options" {
    for_each = length(var.metadata_options) > 0 ? [var.metadata_options] : []
    content {
      http_endpoint = lookup(metadata_options.value, "http_endpoint", null)
      http_tokens   = lookup(metadata_options.value, "http_tokens", null) # want: metadata-credentials-reachable
    }
  }
}

resource "aws_instance" "lookup_without_default" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = lookup(var.metadata_options, "http_tokens") # want: metadata-credentials-reachable
  }
}

resource "aws_instance" "index_key" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  dynamic "metadata_options" {
    for_each = ["optional"]
    iterator = m
    content {
      http_tokens = m.key == 0 ? m.value : "required" # want: metadata-credentials-reachable
    }
  }
}

# near misses
resource "aws_instance" "tuple_required" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  dynamic "metadata_options" {
    for_each = [{ http_tokens = "required", hop = 1 }]
    content {
      http_tokens                 = metadata_options.value.http_tokens
      http_put_response_hop_limit = metadata_options.value.hop
    }
  }
}

resource "aws_instance" "lookup_missing_key" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens                 = lookup(var.metadata_options, "tokens", "required")
    http_put_response_hop_limit = 1
  }
}
