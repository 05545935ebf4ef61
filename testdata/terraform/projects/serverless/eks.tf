resource "aws_launch_template" "nodes" {
  name = "nodes"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2 # want: metadata-credentials-reachable
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = "main"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-nodes"
  subnet_ids      = ["subnet-1"]
  scaling_config {
    desired_size = 2
    max_size     = 3
    min_size     = 1
  }
  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }
}

# near miss: IMDSv2 only, one hop
resource "aws_launch_template" "hardened" {
  name = "hardened"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

resource "aws_eks_node_group" "hardened" {
  cluster_name    = "main"
  node_group_name = "hardened"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-nodes"
  subnet_ids      = ["subnet-1"]
  scaling_config {
    desired_size = 2
    max_size     = 3
    min_size     = 1
  }
  launch_template {
    name    = aws_launch_template.hardened.name
    version = "$Latest"
  }
}
