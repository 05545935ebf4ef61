# Staging's group lets out HTTPS to the private network only. This file
# calls nothing: it is parsed only when envs/staging is lowered.

resource "aws_security_group" "web" {
  name = "web-staging"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
