package rules

import "github.com/isolint/isolint/model"

// The meta rules report problems with isolint's own suppressions. The filter
// raises them; they have no check of their own.

var allFormats = []model.Format{model.FormatK8s, model.FormatCompose, model.FormatTerraform, model.FormatGHA, model.FormatGitLab, model.FormatDev, model.FormatGo, model.FormatCFN}

// InvalidIgnore is reported for an ignore that cannot take effect.
var InvalidIgnore = register(&Rule{
	ID:         "invalid-ignore",
	Title:      "Ignore directive cannot take effect",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisMeta,
	Formats:    allFormats,
	Description: "An `isolint:ignore` directive (inline or in .isolint.yaml) without a reason, with an " +
		"unknown rule ID, with an unreadable or past expiry date, or for a rule the configuration marks " +
		"as not waivable suppresses nothing. It is reported so that a suppression cannot fail silently.",
	Fix: "Write `# isolint:ignore <rule-id> -- <reason>` (optionally `until=YYYY-MM-DD` before the `--`), " +
		"naming a rule from `isolint rules`; renew or remove expired ignores.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: true # isolint:ignore host-network`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: true # isolint:ignore host-network -- node exporter must read host interfaces (SEC-123)`,
	}},
})

// UnusedIgnore is reported for an ignore that matches no finding.
var UnusedIgnore = register(&Rule{
	ID:         "unused-ignore",
	Title:      "Ignore directive matches no finding",
	Severity:   Low,
	Confidence: ConfidenceHigh,
	Axis:       AxisMeta,
	Formats:    allFormats,
	Description: "An ignore that matches no finding is stale: the problem was fixed or the directive sits " +
		"on the wrong line. Left in place, it would silently hide a future finding there.",
	Fix: "Delete the directive, or move it to the line of the finding it is meant for (or the line above).",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "pod.yaml",
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: false # isolint:ignore host-network -- node exporter reads host interfaces`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: false`,
	}},
})
