# `terraform init` copies remote modules into .terraform/: never read, so
# the remote module stays unknown and nothing in it gives a finding.
module "remote" {
  source = "terraform-aws-modules/ecs/aws"
}
