# kubernetes_* workloads: the provider defaults automount_service_account_token
# to true and sends it with the pod, so an unset field mounts the token even
# when the ServiceAccount disables it; env_from.secret_ref loads every key.

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
  }
  automount_service_account_token = false
}

resource "kubernetes_pod_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
  }
  spec { # want: service-account-token-automount
    service_account_name = "api"
    container {
      name  = "api"
      image = "example/api:1.0"
      env_from {
        secret_ref { # want: secret-env-bulk
          name = "api-credentials"
        }
      }
      env_from {
        config_map_ref {
          name = "api-settings"
        }
      }
      security_context {
        run_as_non_root            = true
        allow_privilege_escalation = false
        read_only_root_filesystem  = true
      }
    }
  }
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name            = "web"
        automount_service_account_token = true # want: service-account-token-automount
        container {
          name  = "web"
          image = "example/web:1.0"
          env_from {
            prefix = "DB_"
            secret_ref { # want: secret-env-bulk
              name = "db"
            }
          }
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
      }
    }
  }
}

resource "kubernetes_job_v1" "migrate" {
  metadata {
    name      = "migrate"
    namespace = "shop"
  }
  spec {
    template {
      metadata {}
      spec { # want: service-account-token-automount
        service_account_name = "migrate"
        init_container {
          name  = "wait"
          image = "example/wait:1.0"
          env_from {
            secret_ref { # want: secret-env-bulk
              name = "db"
            }
          }
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
        container {
          name  = "migrate"
          image = "example/migrate:1.0"
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
      }
    }
  }
}

resource "kubernetes_cron_job_v1" "report" {
  metadata {
    name      = "report"
    namespace = "shop"
  }
  spec {
    schedule = "0 * * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec { # want: service-account-token-automount
            service_account_name = "report"
            container {
              name  = "report"
              image = "example/report:1.0"
              env_from {
                secret_ref { # want: secret-env-bulk
                  name = "smtp"
                }
              }
              security_context {
                run_as_non_root            = true
                allow_privilege_escalation = false
                read_only_root_filesystem  = true
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_stateful_set_v1" "db" {
  metadata {
    name      = "db"
    namespace = "shop"
  }
  spec {
    service_name = "db"
    template {
      metadata {}
      spec { # want: service-account-token-automount
        service_account_name = "db"
        container {
          name  = "db"
          image = "example/db:1.0"
          env_from {
            secret_ref { # want: secret-env-bulk
              name = "db"
            }
          }
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
      }
    }
  }
}

resource "kubernetes_daemon_set_v1" "agent" {
  metadata {
    name      = "agent"
    namespace = "shop"
  }
  spec {
    template {
      metadata {}
      spec { # want: service-account-token-automount
        service_account_name = "agent"
        container {
          name  = "agent"
          image = "example/agent:1.0"
          env_from {
            secret_ref { # want: secret-env-bulk
              name = "agent-key"
            }
          }
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
      }
    }
  }
}

# near miss: the pod turns the token off; only config maps are loaded
resource "kubernetes_deployment_v1" "quiet" {
  metadata {
    name      = "quiet"
    namespace = "shop"
  }
  spec {
    template {
      metadata {}
      spec {
        service_account_name            = "quiet"
        automount_service_account_token = false
        container {
          name  = "quiet"
          image = "example/quiet:1.0"
          env_from {
            config_map_ref {
              name = "quiet-settings"
            }
          }
          security_context {
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
          }
        }
      }
    }
  }
}
