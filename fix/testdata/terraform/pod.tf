resource "kubernetes_pod_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    service_account_name = "web"
    container {
      name  = "web"
      image = "example/web:1.0"
    }
  }
}
