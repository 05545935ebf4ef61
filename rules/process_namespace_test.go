package rules

import (
	"strings"
	"testing"

	"github.com/isolint/isolint/model"
)

// The message names the setting as the user wrote it: a pod spec's
// shareProcessNamespace (share_process_namespace in the Terraform
// provider's snake case), an ECS task definition's pid_mode or PidMode.
func TestSharedProcessNamespaceWording(t *testing.T) {
	at := func(path string) model.Location {
		return model.Location{File: "main.tf", Line: 3, Col: 3, Path: path}
	}
	containers := []*model.Container{{Name: "app", Kind: model.ContainerRegular}, {Name: "profiler", Kind: model.ContainerRegular}}
	cases := []struct {
		w    *model.Workload
		want string
	}{
		{&model.Workload{Format: model.FormatTerraform, Kind: "kubernetes_pod", Name: "a", Containers: containers,
			Shares: &model.HostShares{ProcessNamespace: model.Bool{Value: true, Set: true, Loc: at("spec.share_process_namespace")}}}, "(share_process_namespace: true)"},
		{&model.Workload{Format: model.FormatTerraform, Kind: "aws_ecs_task_definition", Name: "b", Containers: containers,
			Lacks:  model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot,
			Shares: &model.HostShares{ProcessNamespace: model.Bool{Value: true, Set: true, Loc: at("pid_mode")}}}, "(pid_mode task)"},
		{&model.Workload{Format: model.FormatK8s, Kind: "Deployment", Name: "c", Containers: containers,
			Shares: &model.HostShares{ProcessNamespace: model.Bool{Value: true, Set: true, Loc: at("spec.template.spec.shareProcessNamespace")}}}, "(shareProcessNamespace: true)"},
		{&model.Workload{Format: model.FormatCFN, Kind: "AWS::ECS::TaskDefinition", Name: "d", Containers: containers,
			Lacks:  model.SettingAllowPrivilegeEscalation | model.SettingRunAsNonRoot,
			Shares: &model.HostShares{ProcessNamespace: model.Bool{Value: true, Set: true, Loc: at("Properties.PidMode")}}}, "(PidMode task)"},
	}
	for _, c := range cases {
		fs := CheckWorkloads([]*Rule{ByID("shared-process-namespace")}, []*model.Workload{c.w}, Options{})
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("%s: findings %+v, want one saying %s", c.w.Kind, fs, c.want)
		}
	}
}
