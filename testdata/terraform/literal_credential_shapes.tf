# literal-credential: a value with a token's shape is a credential even when
# a short placeholder word (tbd, mock, todo, fake) happens to sit inside its
# random part; AWS's documented example key and values that are placeholder
# words as a whole, or at a word's start or end, stay quiet.

resource "aws_iam_role" "fn" {
  name = "fn"
}

resource "aws_lambda_function" "shapes" {
  function_name = "shapes"
  role          = aws_iam_role.fn.arn
  environment {
    variables = {
      AWS_ACCESS_KEY_ID = "AKIA2OGYBAH6TBDMNXNN" # want: literal-credential
      GITHUB_TOKEN      = "ghp_R8mockq2Lk9ZtVb3nXw7YcD1fHsJ4uPa6Ee0" # want: literal-credential
      DB_PASSWORD       = "Vq7TbDx-9Lm2-Rk4" # want: literal-credential
      # near misses
      EXAMPLE_KEY_ID   = "AKIAIOSFODNN7EXAMPLE"
      SLACK_TOKEN      = "xoxb-your-slack-token-here"
      API_TOKEN        = "fake-token-for-tests"
      ADMIN_PASSWORD   = "changeme123"
      SERVICE_PASSWORD = "TBD"
      CACHE_PASSWORD   = "mockpassword"
    }
  }
}
