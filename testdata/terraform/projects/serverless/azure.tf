data "azurerm_subscription" "current" {}

resource "azurerm_linux_function_app" "api" {
  name                = "api"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  identity {
    type = "SystemAssigned"
  }
  app_settings = {
    STAGE       = "prod"
    DB_PASSWORD = "hunter2-but-longer" # want: literal-credential
    STRIPE_KEY  = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/stripe/)"
  }
  site_config {}
}

resource "azurerm_role_assignment" "api_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner" # want: overprivileged-identity
  principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_user_assigned_identity" "worker" {
  name                = "worker"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_container_app" "worker" {
  name                         = "worker"
  container_app_environment_id = "env"
  resource_group_name          = "rg"
  revision_mode                = "Single"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.worker.id]
  }
  secret {
    name  = "queue-key"
    value = var.queue_key
  }
  template {
    container {
      name   = "worker"
      image  = "acme.azurecr.io/worker:1"
      cpu    = 0.5
      memory = "1Gi"
      env {
        name        = "QUEUE_KEY"
        secret_name = "queue-key" # want: secret-env-var
      }
      env {
        name  = "API_TOKEN"
        value = "ghp_0123456789abcdefghijABCDEFGHIJ012345" # want: literal-credential
      }
    }
  }
}

variable "queue_key" {
  type      = string
  sensitive = true
}

resource "azurerm_role_assignment" "worker_contributor" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Contributor" # want: overprivileged-identity
  principal_id         = azurerm_user_assigned_identity.worker.principal_id
}

# near misses: a narrow role on one storage account, Owner on a resource group
resource "azurerm_linux_function_app" "reader" {
  name                = "reader"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  identity {
    type = "SystemAssigned"
  }
  app_settings = {
    STAGE = "prod"
  }
  site_config {}
}

resource "azurerm_role_assignment" "reader_blob" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/reports"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_linux_function_app.reader.identity[0].principal_id
}

resource "azurerm_role_assignment" "reader_rg" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  role_definition_name = "Owner"
  principal_id         = azurerm_linux_function_app.reader.identity[0].principal_id
}

resource "azurerm_user_assigned_identity" "kubelet" {
  name                = "kubelet"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "main"
  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kubelet.id]
  }
  kubelet_identity {
    user_assigned_identity_id = azurerm_user_assigned_identity.kubelet.id
    client_id                 = azurerm_user_assigned_identity.kubelet.client_id
    object_id                 = azurerm_user_assigned_identity.kubelet.principal_id
  }
}

resource "azurerm_role_assignment" "kubelet_uaa" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "User Access Administrator" # want: overprivileged-identity
  principal_id         = azurerm_user_assigned_identity.kubelet.principal_id
}
