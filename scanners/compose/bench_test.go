package compose

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isolint/isolint/source"
)

// realistic is a compose file shaped like the self-hosted stacks people
// commit (anchors, interpolation, env files, bind mounts, healthchecks),
// with n services.
func realistic(n int) string {
	var b strings.Builder
	b.WriteString("name: bench\nx-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n    options: {max-size: 10m}\n  env_file: [.env]\nservices:\n")
	for i := range n {
		fmt.Fprintf(&b, `  svc%d:
    <<: *common
    image: registry.example.com/team/svc%d:${TAG:-latest}
    user: "${UID:-1000}:${GID:-1000}"
    depends_on: [svc%d]
    ports: ["127.0.0.1:%d:8080"]
    environment:
      LOG_LEVEL: ${LOG_LEVEL:-info}
      DB_HOST: db
      DB_PASSWORD: ${DB_PASSWORD}
      FEATURE_FLAGS: a,b,c
    volumes:
      - ./config/svc%d:/etc/svc:ro
      - data%d:/var/lib/svc
      - /var/run/docker.sock:/var/run/docker.sock:ro
    security_opt: [no-new-privileges:true]
    cap_drop: [ALL]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
      interval: 10s
`, i, i, max(i-1, 0), 10000+i, i, i)
	}
	b.WriteString("volumes:\n")
	for i := range n {
		fmt.Fprintf(&b, "  data%d: {}\n", i)
	}
	return b.String()
}

// BenchmarkScan scans a 40-service file (about 30 KB) with a .env beside it;
// the reported MB/s and ns/op give files/s (1e9 / ns/op).
func BenchmarkScan(b *testing.B) {
	root := b.TempDir()
	content := []byte(realistic(40))
	if err := os.WriteFile(filepath.Join(root, ".env"), []byte("TAG=1.2.3\nDB_PASSWORD=x\nLOG_LEVEL=debug\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	f := &source.File{Path: "compose.yaml", Abs: filepath.Join(root, "compose.yaml"), Root: root, Content: content}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		if p := Scan(f); len(p.Workloads) != 40 {
			b.Fatalf("%d workloads", len(p.Workloads))
		}
	}
}

// BenchmarkScanSmall scans a typical small file (three services).
func BenchmarkScanSmall(b *testing.B) {
	root := b.TempDir()
	content := []byte(realistic(3))
	f := &source.File{Path: "compose.yaml", Abs: filepath.Join(root, "compose.yaml"), Root: root, Content: content}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(f)
	}
}

// BenchmarkSniff measures the content sniff on a compose file and on a
// YAML file without a top-level services key (the common case).
func BenchmarkSniff(b *testing.B) {
	compose := []byte(realistic(10))
	other := []byte(strings.Repeat("key: value\nlist:\n  - a\n  - b\n", 500))
	b.Run("compose", func(b *testing.B) {
		b.SetBytes(int64(len(compose)))
		for b.Loop() {
			if !Sniff(compose) {
				b.Fatal("not sniffed")
			}
		}
	})
	b.Run("other", func(b *testing.B) {
		b.SetBytes(int64(len(other)))
		for b.Loop() {
			if Sniff(other) {
				b.Fatal("sniffed")
			}
		}
	})
}
