package dev

import "github.com/isolint/isolint/scanners/jsonc"

// The JSONC parser lives in scanners/jsonc, shared with the CloudFormation
// scanner; TOML reports its errors with the same type and depth bound.

// SyntaxError is a JSONC or TOML file that does not parse.
type SyntaxError = jsonc.SyntaxError

// maxDepth bounds the nesting TOML input may have, as for JSONC.
const maxDepth = jsonc.MaxDepth
