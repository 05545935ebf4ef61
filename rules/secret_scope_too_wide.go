package rules

import (
	"strconv"

	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "secret-scope-too-wide",
	Title:      "Secret bound at a wider scope than its use",
	Severity:   High,
	Confidence: ConfidenceMedium,
	Axis:       AxisSecrets,
	Formats:    []model.Format{model.FormatK8s, model.FormatGHA, model.FormatGitLab},
	Controls: []controls.Ref{
		nhi(2), nist("AC-6"), nist("SC-4"), nist("IA-5"), csf("PR.AA-05"), csf("PR.DS-10"),
		cis("5.4.1"), cicd(6), cicd(5),
	},
	Needs: []model.InputKind{model.InputCredentials},
	Description: "A secret handed to every container of a pod — the application, its sidecars (proxies, log " +
		"shippers, agents) and its init containers — usually comes from a copied block or a chart helper " +
		"rather than from what each container needs. Every container that holds it is one more process, " +
		"often third-party, that can leak it. Reported when a pod has two or more (init) containers and the " +
		"same Secret key (or the same whole Secret through envFrom) reaches all of them; the finding sits on " +
		"the first binding and lists the others.",
	Fix: "Give the secret only to the container that uses it; remove the binding from sidecars and init " +
		"containers that do not read it. Prefer a secret volume mounted into that container alone.",
	Examples: []Example{{
		Format: model.FormatK8s, Path: "deploy.yaml",
		Bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
        - name: log-shipper
          image: example/shipper:2.1
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}`,
		Good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
        - name: log-shipper
          image: example/shipper:2.1`,
	}, {
		Format: model.FormatGHA, Path: ".github/workflows/publish.yml",
		Bad: `on: push
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ env.NPM_TOKEN }}`,
		Good: `on: push
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}`,
	}, {
		Format: model.FormatGitLab, Path: ".gitlab-ci.yml",
		Bad: `variables:
  DEPLOY_TOKEN: $PROD_DEPLOY_TOKEN

test:
  script:
    - make test

deploy:
  script:
    - ./deploy.sh --token "$DEPLOY_TOKEN"`,
		Good: `test:
  script:
    - make test

deploy:
  variables:
    DEPLOY_TOKEN: $PROD_DEPLOY_TOKEN
  script:
    - ./deploy.sh --token "$DEPLOY_TOKEN"`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		if w.CI != nil {
			ciJobSecretScope(p, w)
			return
		}
		var cs []*model.Container
		for _, c := range w.Containers {
			if c.Kind != model.ContainerEphemeral {
				cs = append(cs, c) // ephemeral containers are debugging sessions, not the pod's design
			}
		}
		if len(cs) < 2 {
			return
		}
		type binding struct {
			loc  model.Location
			what string
		}
		// per secret (name and key, or the whole secret), the first binding in each container
		bound := map[string][]binding{}
		var order []string
		for i, c := range cs {
			seen := map[string]bool{}
			add := func(k string, b binding) {
				if seen[k] || len(bound[k]) != i {
					return // already bound in this container, or missing from an earlier one
				}
				seen[k] = true
				if i == 0 {
					order = append(order, k)
				}
				bound[k] = append(bound[k], b)
			}
			for _, e := range c.Env {
				if s := e.Secret; s != nil && s.Store == model.StoreK8sSecret && s.Name != "" && !model.Unresolved(s.Name) {
					add("key\x00"+s.Name+"\x00"+s.Key, binding{s.Loc, describeSecret(s)})
				}
			}
			for _, src := range c.EnvSources {
				if src.Kind == model.EnvFromSecret && src.Name != "" && !model.Unresolved(src.Name) {
					add("all\x00"+src.Name, binding{src.Loc, "every key of Secret " + strconv.Quote(src.Name)})
				}
			}
		}
		for _, k := range order {
			bs := bound[k]
			if len(bs) != len(cs) {
				continue
			}
			var related []model.Related
			for i, b := range bs[1:] {
				related = append(related, model.Related{Loc: b.loc, Message: "also bound in " + cs[i+1].Display()})
			}
			p.Report(Finding{
				Message: "every container of " + w.Display() + " (" + containerList(cs) + ") receives " + bs[0].what +
					"; bind it only in the container that uses it",
				Loc: bs[0].loc, Related: related, Format: w.Format, Object: w.ID(), Workload: w.Name, Unit: w.Unit,
			})
		}
	},
	Pipeline: ciPipelineSecretScope,
})
