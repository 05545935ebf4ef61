resource "kubernetes_deployment" "agent" {
  metadata {
    name      = "agent"
    namespace = "tools"
  }
  spec {
    template {
      metadata {
        labels = { app = "agent" }
      }
      spec { # want: default-service-account, service-account-token-automount
        host_network = true # want: host-network
        host_pid     = true # want: host-namespace
        container {
          name  = "agent"
          image = "example/agent:1.0"
          env {
            name = "DB_PASSWORD"
            value_from {
              secret_key_ref { # want: secret-env-var
                name = "db"
                key  = "password"
              }
            }
          }
          security_context { # want: privilege-escalation, writable-root-filesystem
            privileged  = true # want: privileged-container
            run_as_user = 0 # want: runs-as-root
          }
        }
      }
    }
  }
}

resource "kubernetes_cron_job_v1" "report" {
  metadata {
    name = "report"
  }
  spec {
    schedule = "0 * * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec { # want: service-account-token-automount
            service_account_name = "reporter"
            security_context {
              run_as_non_root = true
              run_as_user     = 10001
            }
            container {
              name  = "report"
              image = "example/report:1.0"
              security_context { # want: privilege-escalation, writable-root-filesystem
                privileged = false
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_pod_v1" "dynamic" {
  metadata {
    name = "dynamic"
  }
  spec { # want: service-account-token-automount
    service_account_name = "dynamic"
    dynamic "container" {
      for_each = { a = true, b = false }
      content {
        name  = container.key
        image = "example/${container.key}:1.0"
        security_context { # want: privilege-escalation, privilege-escalation, writable-root-filesystem
          run_as_non_root = true
          privileged      = container.value # want: privileged-container
        }
      }
    }
  }
}

# seccomp switched off for the pod: unconfined-profile, as in a manifest
resource "kubernetes_pod_v1" "tracer" {
  metadata {
    name = "tracer"
  }
  spec {
    automount_service_account_token = false
    service_account_name            = "tracer"
    security_context {
      run_as_non_root = true
      run_as_user     = 10001
      seccomp_profile {
        type = "Unconfined" # want: unconfined-profile
      }
    }
    container {
      name  = "tracer"
      image = "example/tracer:1.0"
      security_context {
        allow_privilege_escalation = false
        read_only_root_filesystem  = true
      }
    }
  }
}
