resource "azurerm_container_group" "tools" {
  name                = "tools"
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"

  container {
    name   = "tools"
    image  = "example/tools:1.0"
    cpu    = "0.5"
    memory = "1.5"
    environment_variables = {
      STAGE = "prod"
    }
    secure_environment_variables = {
      DB_PASSWORD = var.db_password # want: secret-env-var
    }
    security {
      privilege_enabled = true # want: privileged-container
    }
  }
}

variable "db_password" {
  type      = string
  sensitive = true
}
