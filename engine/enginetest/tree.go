// Package enginetest generates realistic trees of Kubernetes manifests for
// benchmarks, the large-tree measurement and the determinism tests.
package enginetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// TreeOptions shape a generated tree.
type TreeOptions struct {
	Files int    // number of manifest files
	Seed  uint64 // the same seed gives the same tree
	// Pad adds this many bytes of ConfigMap data to every tenth file, for
	// trees with some large files, as real repositories have.
	Pad int
	// AllFormats makes half of the files those of the other formats:
	// repositories (repos/repo-NNNN/) each holding Terraform in two module
	// directories, GitHub workflows, a GitLab pipeline, Compose files, a dev
	// container or MCP config and Go commands.
	AllFormats bool
}

// TreeStats describe a generated tree.
type TreeStats struct {
	Files int
	Bytes int64
}

// GenerateTree writes opts.Files manifest files under dir in a layout like
// a real repository's (apps/<team>/<app>/…, a few per directory): a
// realistic mix of Deployments, StatefulSets, CronJobs, Services,
// ConfigMaps, Ingresses, CRDs, RBAC and NetworkPolicies, some multi-
// document, some with findings and some compliant.
func GenerateTree(dir string, opts TreeOptions) (TreeStats, error) {
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	var st TreeStats
	k8sFiles := 0
	for n := range opts.Files {
		if opts.AllFormats && n%2 == 1 {
			o := n / 2
			var b strings.Builder
			p := filepath.Join(dir, filepath.FromSlash(writeOtherFormat(&b, r, o/repoFilesPer, o%repoFilesPer)))
			if err := writeFile(p, b.String()); err != nil {
				return st, err
			}
			st.Files++
			st.Bytes += int64(b.Len())
			continue
		}
		i := k8sFiles
		k8sFiles++
		team := fmt.Sprintf("team-%02d", i%23)
		app := fmt.Sprintf("app-%04d", i/4)
		var b strings.Builder
		var name string
		switch i % 10 {
		case 0, 1, 2:
			name = "deployment.yaml"
			writeDeployment(&b, r, team, app, i)
			b.WriteString("---\n")
			writeService(&b, team, app)
		case 3:
			name = "statefulset.yaml"
			writeStatefulSet(&b, r, team, app)
		case 4:
			name = "cronjob.yaml"
			writeCronJob(&b, r, team, app)
		case 5:
			name = "configmap.yaml"
			writeConfigMap(&b, r, team, app, opts.Pad)
		case 6:
			name = "rbac.yaml"
			writeRBAC(&b, team, app)
		case 7:
			name = "crd.yaml"
			writeCRD(&b, app, 40+r.IntN(60))
		case 8:
			name = "ingress.yaml"
			writeIngress(&b, team, app)
			b.WriteString("---\n")
			writeNetworkPolicy(&b, team, app)
		case 9:
			name = "kustomization.yaml" // not a Kubernetes object: must stay unclaimed or cheap
			fmt.Fprintf(&b, "resources:\n  - deployment.yaml\n  - statefulset.yaml\nnamespace: %s\ncommonLabels:\n  app: %s\n", team, app)
		}
		p := filepath.Join(dir, "apps", team, app, fmt.Sprintf("%05d-%s", i, name))
		if err := writeFile(p, b.String()); err != nil {
			return st, err
		}
		st.Files++
		st.Bytes += int64(b.Len())
	}
	return st, nil
}

func writeFile(p, content string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(content), 0o644)
}

func writeDeployment(b *strings.Builder, r *rand.Rand, team, app string, i int) {
	sa := app
	if r.IntN(5) == 0 {
		sa = "shared-" + team // shared identities across apps
	}
	fmt.Fprintf(b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[1]s
    app.kubernetes.io/part-of: %[2]s
  annotations:
    deployment.kubernetes.io/revision: "%[3]d"
spec:
  replicas: %[4]d
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: %[1]s
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %[1]s
        app.kubernetes.io/part-of: %[2]s
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
    spec:
      serviceAccountName: %[5]s
`, app, team, r.IntN(40), 1+r.IntN(5), sa)
	if r.IntN(4) != 0 {
		b.WriteString("      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        fsGroup: 10001\n        seccompProfile: {type: RuntimeDefault}\n")
	}
	if r.IntN(30) == 0 {
		b.WriteString("      hostNetwork: true\n")
	}
	b.WriteString("      containers:\n")
	for c := range 1 + r.IntN(2) {
		fmt.Fprintf(b, `        - name: %[1]s-%[2]d
          image: registry.example.com/%[3]s/%[1]s:1.%[4]d.%[2]d
          imagePullPolicy: IfNotPresent
          ports:
            - {name: http, containerPort: 8080, protocol: TCP}
            - {name: metrics, containerPort: 9090, protocol: TCP}
          args: ["--listen=:8080", "--log-level=info", "--metrics=:9090"]
          env:
            - name: LOG_FORMAT
              value: json
            - name: POD_NAME
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
            - name: DATABASE_HOST
              value: db.%[3]s.svc.cluster.local
`, app, c, team, r.IntN(20))
		if r.IntN(3) == 0 {
			fmt.Fprintf(b, "            - name: DATABASE_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: %s-db, key: password}\n", app)
		}
		if r.IntN(6) == 0 {
			fmt.Fprintf(b, "          envFrom:\n            - secretRef: {name: %s-env}\n", app)
		}
		b.WriteString(`          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            initialDelaySeconds: 5
            periodSeconds: 10
          livenessProbe:
            httpGet: {path: /livez, port: http}
          volumeMounts:
            - {name: config, mountPath: /etc/app, readOnly: true}
            - {name: tmp, mountPath: /tmp}
`)
		switch r.IntN(12) {
		case 0:
			b.WriteString("          securityContext:\n            privileged: true\n")
		case 1, 2, 3, 4, 5, 6:
			b.WriteString("          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n")
		}
	}
	fmt.Fprintf(b, "      volumes:\n        - name: config\n          configMap: {name: %s-config}\n        - name: tmp\n          emptyDir: {}\n", app)
	if i%50 == 0 {
		b.WriteString("        - name: docker\n          hostPath: {path: /var/run/docker.sock, type: Socket}\n")
	}
}

func writeService(b *strings.Builder, team, app string) {
	fmt.Fprintf(b, `apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
  labels: {app.kubernetes.io/name: %[1]s}
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: %[1]s}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: metrics, port: 9090, targetPort: metrics}
`, app, team)
}

func writeStatefulSet(b *strings.Builder, r *rand.Rand, team, app string) {
	fmt.Fprintf(b, `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: %[1]s-db
  namespace: %[2]s
spec:
  serviceName: %[1]s-db
  replicas: 3
  selector:
    matchLabels: {app: %[1]s-db}
  template:
    metadata:
      labels: {app: %[1]s-db}
    spec:
      serviceAccountName: %[1]s-db
      automountServiceAccountToken: false
      securityContext: {runAsUser: 999, runAsNonRoot: true, fsGroup: 999}
      containers:
        - name: postgres
          image: postgres:16.%[3]d
          env:
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef: {name: %[1]s-db, key: password}
            - name: PGDATA
              value: /var/lib/postgresql/data/pgdata
          ports: [{containerPort: 5432, name: pg}]
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 20Gi}}
`, app, team, r.IntN(5))
}

func writeCronJob(b *strings.Builder, r *rand.Rand, team, app string) {
	fmt.Fprintf(b, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: %[1]s-report
  namespace: %[2]s
spec:
  schedule: "%[3]d 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example.com/%[2]s/report:2.1
              command: ["/bin/report", "--since=24h"]
              envFrom:
                - configMapRef: {name: %[1]s-config}
`, app, team, r.IntN(60))
}

func writeConfigMap(b *strings.Builder, r *rand.Rand, team, app string, pad int) {
	fmt.Fprintf(b, `apiVersion: v1
kind: ConfigMap
metadata:
  name: %[1]s-config
  namespace: %[2]s
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout,recommendations"
  app.yaml: |
    server:
      port: 8080
      timeout: 30s
    database:
      host: db.%[2]s.svc.cluster.local
      pool: %[3]d
    cache:
      ttl: 300
`, app, team, 5+r.IntN(20))
	for n := 0; n < pad; n += 64 {
		fmt.Fprintf(b, "    # padding line %08d to make this a larger configuration file ....\n", n)
	}
}

func writeRBAC(b *strings.Builder, team, app string) {
	fmt.Fprintf(b, `apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[2]s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: %[1]s
  namespace: %[2]s
rules:
  - apiGroups: [""]
    resources: [configmaps, secrets]
    verbs: [get, list, watch]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: %[1]s
  namespace: %[2]s
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %[1]s}
subjects:
  - {kind: ServiceAccount, name: %[1]s, namespace: %[2]s}
`, app, team)
}

// writeCRD writes a CustomResourceDefinition with a long OpenAPI schema:
// large, common in real repositories, and read by no rule.
func writeCRD(b *strings.Builder, app string, props int) {
	fmt.Fprintf(b, `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets%[1]s.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets%[1]s, singular: widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
`, strings.ReplaceAll(app, "-", ""))
	for p := range props {
		fmt.Fprintf(b, `                field%03d:
                  type: string
                  description: "Field %d of the widget: what it configures and the values it accepts."
                  maxLength: 253
`, p, p)
	}
}

func writeIngress(b *strings.Builder, team, app string) {
	fmt.Fprintf(b, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[1]s
  namespace: %[2]s
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls: [{hosts: [%[1]s.example.com], secretName: %[1]s-tls}]
  rules:
    - host: %[1]s.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: %[1]s, port: {name: http}}}
`, app, team)
}

func writeNetworkPolicy(b *strings.Builder, team, app string) {
	fmt.Fprintf(b, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: %[1]s}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %[2]s}}
      ports: [{port: 5432, protocol: TCP}]
`, app, team)
}
