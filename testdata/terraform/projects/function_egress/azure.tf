# Function Apps: VNet integration filters an app's traffic only when all
# of it is routed into the VNet (vnet_route_all_enabled); an app without
# integration reaches the internet directly.

resource "azurerm_linux_function_app" "orders" {
  name                       = "orders"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "ordersstorage"
  virtual_network_subnet_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/functions"
  site_config {
    vnet_route_all_enabled = true
  }
}

resource "azurerm_linux_function_app" "mailer" {
  name                       = "mailer"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = "mailerstorage"
  virtual_network_subnet_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/functions"
  site_config {
    vnet_route_all_enabled = false # want: egress-unrestricted
  }
}

resource "azurerm_windows_function_app" "legacy" { # want: egress-unrestricted
  name                 = "legacy"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name = "legacystorage"
  site_config {}
}

# near miss: a swift connection attaches the app and all traffic is routed
resource "azurerm_linux_function_app" "audit" {
  name                 = "audit"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name = "auditstorage"
  site_config {
    vnet_route_all_enabled = true
  }
}

resource "azurerm_app_service_virtual_network_swift_connection" "audit" {
  app_service_id = azurerm_linux_function_app.audit.id
  subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/functions"
}
