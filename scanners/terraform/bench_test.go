package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/source"
)

// BenchmarkScanAll lowers every Terraform fixture (all projects at once,
// as one scan of the testdata tree). Report: go test -bench ScanAll
// -benchmem ./scanners/terraform; files/s is files/op ÷ s/op.
func BenchmarkScanAll(b *testing.B) {
	root, err := filepath.Abs("../../testdata/terraform")
	if err != nil {
		b.Fatal(err)
	}
	var files []*source.File
	var size int64
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !ClaimPath(p) {
			return err
		}
		c, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, &source.File{Path: filepath.ToSlash(rel), Abs: p, Root: root, Content: c, Format: model.FormatTerraform})
		size += int64(len(c))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ScanAll(fresh(files))
	}
	b.ReportMetric(float64(len(files)), "files/op")
}

// BenchmarkScanAllLarge lowers a generated repository: 50 root modules of
// 4 files each (variables, tfvars, an ECS service with jsonencode container
// definitions and IAM, network rules), each calling one shared local module.
func BenchmarkScanAllLarge(b *testing.B) {
	root := b.TempDir()
	var files []*source.File
	var size int64
	write := func(rel, content string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, &source.File{Path: rel, Abs: p, Root: root, Content: []byte(content), Format: model.FormatTerraform})
		size += int64(len(content))
	}
	write("modules/svc/main.tf", benchModule)
	for i := range 50 {
		d := "envs/e" + itoa(i) + "/"
		write(d+"variables.tf", benchVariables)
		write(d+"terraform.tfvars", "image_tag = \"1."+itoa(i)+"\"\nprivileged = false\n")
		write(d+"main.tf", benchMain)
		write(d+"network.tf", benchNetwork)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ScanAll(fresh(files))
	}
	b.ReportMetric(float64(len(files)), "files/op")
}

const benchVariables = `variable "image_tag" {
  type = string
}
variable "privileged" {
  type    = bool
  default = true
}
variable "services" {
  type    = map(object({ cpu = number, memory = number }))
  default = {
    api    = { cpu = 256, memory = 512 }
    worker = { cpu = 512, memory = 1024 }
  }
}
`

const benchMain = `locals {
  name = "app-${var.image_tag}"
  tags = { team = "platform", env = "prod" }
}

resource "aws_iam_role" "task" {
  name = local.name
  tags = local.tags
}

resource "aws_iam_role_policy" "task" {
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" }]
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each      = var.services
  family        = "${local.name}-${each.key}"
  cpu           = each.value.cpu
  memory        = each.value.memory
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name       = each.key
      image      = "example/${each.key}:${var.image_tag}"
      privileged = var.privileged
      user       = "1000"
      environment = [
        { name = "STAGE", value = "prod" },
        { name = "SERVICE", value = each.key }
      ]
      secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:ssm:eu-west-1:111122223333:parameter/db" }]
    }
  ])
}

module "svc" {
  source   = "../../modules/svc"
  name     = local.name
  role_arn = aws_iam_role.task.arn
}
`

const benchNetwork = `resource "aws_security_group" "svc" {
  name = "svc"
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
}
`

const benchModule = `variable "name" {
  type = string
}
variable "role_arn" {
  type = string
}

resource "aws_lambda_function" "fn" {
  function_name = var.name
  role          = var.role_arn
  environment {
    variables = {
      MODE = "worker"
    }
  }
}
`

// fresh copies the files for one scan: ScanAll lets go of the contents of
// the files it is done with.
func fresh(files []*source.File) []*source.File {
	out := make([]*source.File, len(files))
	for i, f := range files {
		c := *f
		out[i] = &c
	}
	return out
}
