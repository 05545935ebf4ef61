package enginetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// repoFilesPer is how many files of the other formats one generated
// repository holds: Terraform in two module directories, GitHub workflows,
// a GitLab pipeline, Compose files, a dev container or MCP config and Go.
const repoFilesPer = 12

// writeOtherFormat writes the k-th file of the formats other than
// Kubernetes into repository repo, returning its path under the tree.
func writeOtherFormat(b *strings.Builder, r *rand.Rand, repo, k int) string {
	dir := fmt.Sprintf("repos/repo-%04d/", repo)
	switch k {
	case 0, 1:
		writeTerraformCompute(b, r, repo, k)
		return dir + fmt.Sprintf("infra/compute-%d.tf", k)
	case 2:
		writeTerraformIAM(b, repo)
		return dir + "infra/iam.tf"
	case 3:
		writeTerraformModule(b, r, repo)
		return dir + "infra/modules/worker/main.tf"
	case 4:
		writeWorkflowCI(b, r, repo)
		return dir + ".github/workflows/ci.yml"
	case 5:
		writeWorkflowDeploy(b, r, repo)
		return dir + ".github/workflows/deploy.yml"
	case 6:
		writeGitLab(b, r, repo)
		return dir + ".gitlab-ci.yml"
	case 7, 8:
		writeCompose(b, r, repo, k)
		if k == 7 {
			return dir + "docker-compose.yml"
		}
		return dir + "deploy/compose.prod.yaml"
	case 9:
		if repo%2 == 0 {
			writeDevContainer(b, r, repo)
			return dir + ".devcontainer/devcontainer.json"
		}
		writeMCP(b, r, repo)
		return dir + ".mcp.json"
	default:
		writeGo(b, r, repo, k)
		return dir + fmt.Sprintf("cmd/tool%d/main.go", k)
	}
}

func writeTerraformCompute(b *strings.Builder, r *rand.Rand, repo, k int) {
	fmt.Fprintf(b, `variable "env_%[2]d" {
  type    = string
  default = "prod"
}

locals {
  name_%[2]d = "svc-%[1]d-${var.env_%[2]d}"
  tags_%[2]d = {
    team    = "team-%02[3]d"
    service = local.name_%[2]d
  }
}

resource "aws_ecs_task_definition" "api_%[2]d" {
  family                   = local.name_%[2]d
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.exec.arn
  task_role_arn            = aws_iam_role.app.arn
  container_definitions = jsonencode([{
    name                   = "api"
    image                  = "example/api:%[4]d"
    user                   = "10001"
    readonlyRootFilesystem = true
    privileged             = %[5]t
    environment = [
      { name = "LOG_LEVEL", value = "info" },
      { name = "DB_PASSWORD", value = "%[6]s" },
    ]
  }])
  tags = local.tags_%[2]d
}

resource "aws_lambda_function" "worker_%[2]d" {
  function_name = "worker-%[1]d-%[2]d"
  role          = aws_iam_role.app.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  environment {
    variables = {
      STAGE = var.env_%[2]d
    }
  }
}

resource "aws_security_group" "egress_%[2]d" {
  name = "egress-%[1]d-%[2]d"
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["%[7]s"]
  }
}
`, repo, k, repo%23, r.IntN(90), r.IntN(6) == 0, pick(r, "from-ssm", "hunter2-but-longer", ""), pick(r, "0.0.0.0/0", "10.0.0.0/8"))
	for j := range 8 + r.IntN(8) {
		fmt.Fprintf(b, `
resource "aws_cloudwatch_log_group" "logs_%[1]d_%[2]d" {
  name              = "/svc/%[3]d/%[2]d"
  retention_in_days = 30
  tags              = local.tags_%[1]d
}
`, k, j, repo)
	}
}

func writeTerraformIAM(b *strings.Builder, repo int) {
	fmt.Fprintf(b, `resource "aws_iam_role" "exec" {
  name               = "exec-%[1]d"
  assume_role_policy = data.aws_iam_policy_document.ecs.json
}

resource "aws_iam_role" "app" {
  name               = "app-%[1]d"
  assume_role_policy = data.aws_iam_policy_document.ecs.json
}

data "aws_iam_policy_document" "ecs" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "arn:aws:s3:::bucket-%[1]d/*"
    }]
  })
}

module "worker" {
  source = "./modules/worker"
  name   = "worker-%[1]d"
}
`, repo)
}

func writeTerraformModule(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `variable "name" {
  type = string
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.this.name
  policy_arn = "%[2]s"
}

resource "aws_instance" "runner" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  iam_instance_profile = aws_iam_instance_profile.this.name
  metadata_options {
    http_tokens = "%[3]s"
  }
  tags = {
    Name = "${var.name}-%[1]d"
  }
}

resource "aws_iam_instance_profile" "this" {
  name = var.name
  role = aws_iam_role.this.name
}
`, repo, pick(r, "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"), pick(r, "optional", "required"))
}

func writeWorkflowCI(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  id-token: write
env:
  GO_VERSION: "1.23"
  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
jobs:
  test:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: ${{ env.GO_VERSION }}
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/%[2]s
          aws-region: eu-west-1
      - run: |
          go vet ./...
          go test -race ./... | tee test.log
          if grep -q FAIL test.log; then exit 1; fi
      - run: npm ci && npm test
  lint:
    runs-on: ubuntu-latest
    container:
      image: golangci/golangci-lint:v1.60
      options: %[3]s
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: golangci-lint run --timeout 5m ./...
`, repo, pick(r, "deploy-shared", fmt.Sprintf("plan-%d", repo)), pick(r, "--privileged", "--cpus 2"))
	for j := range 2 + r.IntN(4) {
		fmt.Fprintf(b, `  matrix-%[1]d:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest]
    steps:
      - uses: actions/checkout@v4
      - run: make build-%[1]d && ./bin/check --shard %[1]d
`, j)
	}
}

func writeWorkflowDeploy(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `name: deploy
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  id-token: write
jobs:
  deploy:
    runs-on: %[3]s
    environment: production
    env:
      DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/%[2]s
          aws-region: eu-west-1
      - run: |
          terraform init -input=false
          terraform apply -auto-approve -var "release=${GITHUB_SHA}"
      - run: ./scripts/notify.sh "deployed $GITHUB_SHA"
        env:
          ALL: ${{ toJSON(secrets) }}
`, repo, pick(r, "deploy-shared", fmt.Sprintf("deploy-%d", repo)), pick(r, "ubuntu-latest", "self-hosted"))
}

func writeGitLab(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `variables:
  DEPLOY_TOKEN: $PROD_DEPLOY_TOKEN
  GIT_DEPTH: "10"

stages: [test, deploy]

.base:
  image: golang:1.23
  before_script:
    - go mod download

test:
  extends: .base
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - go test ./...
    - go vet ./...

build-image:
  stage: test
  image: docker:27
  services:
    - name: docker:27-dind
      alias: docker
  variables:
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker build -t registry.example.com/app-%[1]d:$CI_COMMIT_SHA .
    - docker push registry.example.com/app-%[1]d:$CI_COMMIT_SHA

deploy:
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/%[2]s --role-session-name ci --web-identity-token "$AWS_ID_TOKEN"
    - ./deploy.sh --token "$DEPLOY_TOKEN"
`, repo, pick(r, "deploy-shared", fmt.Sprintf("deploy-%d", repo)))
}

func writeCompose(b *strings.Builder, r *rand.Rand, repo, k int) {
	fmt.Fprintf(b, `x-defaults: &defaults
  restart: unless-stopped
  read_only: true
  user: "10001"
  logging:
    driver: json-file
    options: {max-size: 10m}

services:
  web:
    <<: *defaults
    image: example/web-%[1]d:%[2]d
    ports: ["8080:8080"]
    environment:
      LOG_LEVEL: info
      DATABASE_URL: postgres://app@db:5432/app
    depends_on: [db]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: %[3]s
    volumes:
      - db-data:/var/lib/postgresql/data
  agent:
    image: example/agent:%[2]d
    privileged: %[4]t
    network_mode: %[5]s
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
volumes:
  db-data: {}
`, repo, k, pick(r, "${POSTGRES_PASSWORD}", "hunter2-but-longer"), r.IntN(4) == 0, pick(r, "host", "bridge"))
}

func writeDevContainer(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `// For format details, see https://aka.ms/devcontainer.json.
{
  "name": "repo-%[1]d",
  "image": "mcr.microsoft.com/devcontainers/go:1.23",
  "features": {
    "ghcr.io/devcontainers/features/docker-outside-of-docker:1": {}
  },
  "runArgs": [%[2]s],
  "mounts": ["source=${localEnv:HOME}/.aws,target=/home/vscode/.aws,type=bind"],
  "containerEnv": {
    "GITHUB_TOKEN": "${localEnv:GITHUB_TOKEN}"
  },
  "postCreateCommand": "go mod download",
  "customizations": {"vscode": {"extensions": ["golang.go"]}}
}
`, repo, pick(r, `"--privileged"`, `"--init"`))
}

func writeMCP(b *strings.Builder, r *rand.Rand, repo int) {
	fmt.Fprintf(b, `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}"}
    },
    "files-%[1]d": {
      "command": "docker",
      "args": ["run", "-i", "--rm", %[2]s"-v", "/:/host", "example/files:1"]
    }
  }
}
`, repo, pick(r, `"--network=host", `, ""))
}

func writeGo(b *strings.Builder, r *rand.Rand, repo, k int) {
	fmt.Fprintf(b, `// Command tool%[2]d of repository %[1]d.
package main

import (
	"context"
	"os"
	"os/exec"
)

func main() {
	if err := run(context.Background()); err != nil {
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "git", "fetch", "--tags")
	%[3]s
	cmd.Stdout = os.Stdout
	return cmd.Run()
}
`, repo, k, pick(r, "cmd.Env = os.Environ()", `cmd.Env = []string{"PATH=/usr/bin"}`))
}

func pick[T any](r *rand.Rand, opts ...T) T {
	return opts[r.IntN(len(opts))]
}
