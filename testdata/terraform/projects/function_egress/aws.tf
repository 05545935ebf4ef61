# Lambda functions and an ECS service, and the way their traffic leaves.
# Functions attached to a VPC are filtered by their security groups; this
# module attaches some, so a function it leaves outside any VPC (where
# Lambda sends its traffic straight to the internet) stands out.

variable "extra_security_group_id" {
  type = string
}

resource "aws_security_group" "open" {
  name   = "functions-open"
  vpc_id = "vpc-0123456789abcdef0"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # want: egress-unrestricted
  }
}

resource "aws_security_group" "https" {
  name   = "functions-https"
  vpc_id = "vpc-0123456789abcdef0"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "rules_apart" {
  name   = "tasks"
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_vpc_security_group_egress_rule" "tasks_all" {
  security_group_id = aws_security_group.rules_apart.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0" # want: egress-unrestricted
}

resource "aws_lambda_function" "exporter" {
  function_name = "exporter"
  role          = "arn:aws:iam::123456789012:role/exporter"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "exporter.zip"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [aws_security_group.https.id, aws_security_group.open.id] # want: egress-unrestricted
  }
}

# near miss: HTTPS only
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = [aws_security_group.https.id]
  }
}

# near misses: a group the scan does not define, a computed group: not
# checked (counted as unlinked egress), never reported
resource "aws_lambda_function" "elsewhere" {
  function_name = "elsewhere"
  role          = "arn:aws:iam::123456789012:role/elsewhere"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "elsewhere.zip"
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0", var.extra_security_group_id]
  }
}

resource "aws_lambda_function" "thumbnails" { # want: egress-unrestricted
  function_name = "thumbnails"
  role          = "arn:aws:iam::123456789012:role/thumbnails"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnails.zip"
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = "arn:aws:iam::123456789012:role/worker"
  container_definitions = jsonencode([
    { name = "worker", image = "example/worker:1.0", readonlyRootFilesystem = true }
  ])
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  task_definition = aws_ecs_task_definition.worker.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = ["subnet-0123456789abcdef0"]
    security_groups = [aws_security_group.rules_apart.id] # want: egress-unrestricted
  }
}
