package engine

import (
	"github.com/isolint/isolint/model"
	"github.com/isolint/isolint/rules"
)

// clearEnvUnits takes the units model.Project.InferEnvUnits gave off the
// findings: they join objects for project-wide rules, but the files are
// plain manifests, not a build to name in messages.
func clearEnvUnits(fs []rules.Finding) {
	for i := range fs {
		if model.IsEnvUnit(fs[i].Unit) {
			fs[i].Unit = ""
		}
	}
}
