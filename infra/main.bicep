// WxShare on Azure Functions Flex Consumption: `azd up` (or `az deployment sub create`, see docs/deploy.md).
// One resource group with a user-assigned identity that does everything (storage, monitoring, the AppSecret),
// storage without shared keys, App Insights without local auth, a Key Vault for the AppSecret, and by default a
// NAT gateway so that WeChat sees one fixed outbound address on its IP whitelist.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for everything. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('The official account\'s AppID (WeChat__AppId).')
@minLength(1)
param weChatAppId string

@secure()
@minLength(1)
@description('The official account\'s AppSecret. Stored in Key Vault only; the app reads it through a Key Vault reference.')
param weChatAppSecret string

@secure()
@minLength(32)
@description('The secret of WxShare\'s operator key (Keys__operator__Secret, routes ops, diagnose and relay on every account), e.g. from `openssl rand -base64 32`. Stored in Key Vault only; the app reads it through a Key Vault reference. Give other callers keys of their own (docs/keys.md).')
param operatorKeySecret string

@description('Comma-separated domains whose pages are signed (Signing__AllowedDomains), e.g. example.com.')
@minLength(1)
param allowedDomains string

@description('Route outbound traffic through a NAT gateway with a static public IP, for the WeChat IP whitelist. Turn off only if the whitelist is disabled for the account.')
param staticOutboundIp bool = true

@description('Memory per instance. WxShare needs little: 512 MB costs a quarter of the 2048 MB default.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512

@description('Upper bound on instances under a campaign (Flex allows 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances for the HTTP functions (billed while idle); 0 lets the app scale to zero.')
@minValue(0)
param alwaysReadyHttpInstances int = 0

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-wxshare-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    weChatAppSecret: weChatAppSecret
    operatorKeySecret: operatorKeySecret
  }
}

module network 'app/network.bicep' = if (staticOutboundIp) {
  name: 'network'
  scope: rg
  params: {
    resourceToken: resourceToken
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: 'func-wxshare-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUri: storage.outputs.deploymentContainerUri
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    weChatAppSecretUri: keyVault.outputs.weChatAppSecretUri
    operatorKeySecretUri: keyVault.outputs.operatorKeySecretUri
    weChatAppId: weChatAppId
    allowedDomains: allowedDomains
    subnetId: staticOutboundIp ? network!.outputs.appSubnetId : ''
    outboundIp: staticOutboundIp ? network!.outputs.outboundIpAddress : ''
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
  }
  // The host starts right away and reaches storage, Key Vault and App Insights with the identity.
  dependsOn: [rbac]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
@description('The app\'s base URL: scripts/smoke.sh takes it (azure.yaml\'s postdeploy hook runs it).')
output WXSHARE_URL string = 'https://${api.outputs.defaultHostName}'
@description('The signing route; open it with ?url=<a page URL on an allowed domain> to check the deployment.')
output WXSHARE_CONFIG_URL string = 'https://${api.outputs.defaultHostName}/api/jssdk/config'
@description('Add this address to the official account\'s IP whitelist (WeChat admin panel: 设置与开发 > 基本配置 > IP白名单). Empty when staticOutboundIp is off.')
output WECHAT_IP_WHITELIST_ADDRESS string = staticOutboundIp ? network!.outputs.outboundIpAddress : ''
