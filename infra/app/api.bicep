// The Flex Consumption plan and Function app, and every app setting WxShare reads (with its default).
// Flex refuses or ignores several classic settings: no FUNCTIONS_WORKER_RUNTIME / _EXTENSION_VERSION,
// WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENT*, WEBSITE_VNET_ROUTE_ALL, TZ; and siteConfig stays minimal (no
// linuxFxVersion, netFrameworkVersion, ftpsState, use32BitWorkerProcess, functionAppScaleLimit, …: ARM error 51021).
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUri string
param applicationInsightsName string
param weChatAppSecretUri string
param operatorKeySecretUri string
param weChatAppId string
param allowedDomains string
@description('The delegated subnet for VNet integration; empty for none.')
param subnetId string
@description('The NAT gateway\'s public IP the app\'s calls leave through; empty for none. Whitelist errors say whether WeChat saw this address.')
param outboundIp string
param instanceMemoryMB int
param maximumInstanceCount int
param alwaysReadyHttpInstances int

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (the default, system-assigned, does not exist).
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      // Empty on purpose: WxShare answers CORS itself, for the allowed domains only.
      cors: { allowedOrigins: [] }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUri
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage by identity. accountName rather than the service-URI form (intermittent 401s on Flex,
      // azure-functions-host #11782), clientId rather than the resource id (#9559). WxShare's credential table
      // falls back to these same settings, so one account and one identity serve both.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // The worker's own exporter authenticates with this identity (WxShareFunctionsApp.MonitorCredential).
      AZURE_CLIENT_ID: identityClientId

      WeChat__AppId: weChatAppId
      WeChat__AppSecret: '@Microsoft.KeyVault(SecretUri=${weChatAppSecretUri})'
      WeChat__ApiBaseUrl: 'https://api.weixin.qq.com'
      WeChat__RequestTimeoutSeconds: '10'
      WeChat__RetryDelayMilliseconds: '1000'
      WeChat__TokenApi: 'stable'
      WeChat__CardTicket: 'false'
      WeChat__Relay: 'false'
      WeCom__ApiBaseUrl: 'https://qyapi.weixin.qq.com'
      // WxShare's own keys, checked by the worker on every keyed route (every function is anonymous to the host,
      // so Azure's function keys open nothing). Add Keys__<name>__* per caller, each secret a Key Vault reference.
      Keys__operator__Secret: '@Microsoft.KeyVault(SecretUri=${operatorKeySecretUri})'
      Keys__operator__Accounts: '*'
      Keys__operator__Routes: 'ops,diagnose,relay'
      Deployment__OutboundIp: outboundIp

      Storage__TableName: 'WxShareCredentials'
      Storage__ColdReadTimeoutSeconds: '3'
      Storage__ColdReadRetries: '1'

      // The timer trigger reads %RefreshSchedule% from app settings only (six fields, UTC).
      RefreshSchedule: '0 */5 * * * *'
      Refresh__MaxAgeMinutes: '100'
      Refresh__ExpiryMarginMinutes: '15'
      Refresh__ConfigurationErrorBackoffMinutes: '30'
      Refresh__LeaseSeconds: '240'

      Signing__AllowedDomains: allowedDomains
      Signing__TicketCacheSeconds: '60'

      // Field reports: limits as documented; the client's address is the last X-Forwarded-For entry, which App
      // Service's front end appends (the worker's own connection comes from the Functions host, not the browser).
      Reports__PerAddressPerMinute: '10'
      Reports__TotalPerMinute: '300'
      Reports__ClientAddressHeader: 'X-Forwarded-For'
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
