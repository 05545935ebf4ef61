package model

import (
	"strconv"
	"strings"
)

// Each Terraform root module is a state of its own: envs/prod and
// envs/staging may both define aws_iam_role.app, and neither can refer to
// the other's (only through data sources or terraform_remote_state, which
// are unknown offline). The keys that project-wide rules join on
// (CloudRole.Key, Identity.Key, SecurityGroup.Key, FirewallRule.Group,
// Egress.Groups, TrustPolicy.Role) therefore carry the root module's
// directory when they come from a Terraform address:
//
//	module.<root>["envs/prod"].aws_iam_role.app
//
// It is written as a module path, so that whatever strips module paths
// for messages and fingerprints (`aws_iam_role.app`) strips it too; no
// Terraform module can be named `<root>`. Literal names and ARNs (a
// role_arn written as text) are the cloud's own names and stay as written.

// terraformRoot begins a key qualified with its root module.
const terraformRoot = "module.<root>["

// TerraformRootPrefix is the prefix of the keys of the root module in the
// directory root (a display path, "." for the scan root itself).
func TerraformRootPrefix(root string) string {
	// no "]" inside the brackets: the first "]." ends the prefix
	return terraformRoot + strings.ReplaceAll(strconv.Quote(root), "]", `\x5d`) + "]."
}

// TerraformKey qualifies the address of a resource or module call of the
// root module in the directory root.
func TerraformKey(root, addr string) string {
	return TerraformRootPrefix(root) + addr
}

// TerraformAddr is the Terraform address a key stands for, without its
// root module: "aws_iam_role.app" for the key of envs/prod's
// aws_iam_role.app. Any other key is returned as it is.
func TerraformAddr(key string) string {
	if !strings.HasPrefix(key, terraformRoot) {
		return key
	}
	if i := strings.Index(key, "]."); i >= 0 {
		return key[i+2:]
	}
	return key
}
