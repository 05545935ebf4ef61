# a deployment with a security_context that sets some things
resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name = "api"
        container {
          name  = "api"
          image = "example/api:1.0"
          security_context {
            allow_privilege_escalation = true # set on purpose?
            run_as_user                = 10001
          }
        }
        container {
          name  = "privileged"
          image = "example/priv:1.0"
          security_context {
            privileged = true
          }
        }
        container { name = "oneline" }
      }
    }
  }
}
