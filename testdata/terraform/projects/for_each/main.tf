locals {
  functions = {
    ingest = { memory = 256 }
    report = { memory = 512 }
  }
}

# one role per function: nothing is shared
resource "aws_iam_role" "fn" {
  for_each = local.functions
  name     = "fn-${each.key}"
}

resource "aws_lambda_function" "own_role" {
  for_each      = local.functions
  function_name = each.key
  role          = aws_iam_role.fn[each.key].arn
  memory_size   = each.value.memory
}

# one role for every function: each instance shares it
resource "aws_iam_role" "common" {
  name = "fn-common"
}

resource "aws_lambda_function" "common_role" {
  for_each      = local.functions
  function_name = "common-${each.key}"
  role          = aws_iam_role.common.arn # want: shared-execution-identity
}

resource "aws_ecs_task_definition" "counted" {
  count  = 2
  family = "counted-${count.index}"
  container_definitions = jsonencode([
    {
      name       = "c${count.index}" # want: writable-root-filesystem, writable-root-filesystem, privilege-escalation, privilege-escalation
      image      = "example/c:1.0"
      privileged = count.index == 1 # want: privileged-container
    }
  ])
}

resource "aws_ecs_task_definition" "none" {
  count  = 0
  family = "never"
  container_definitions = jsonencode([
    { name = "never", image = "example/never:1.0", privileged = true }
  ])
}
