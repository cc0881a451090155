// The AppSecret and the operator key's secret live here and nowhere else; the app reads them through Key Vault references.
param name string
param location string
param tags object

@secure()
param weChatAppSecret string

@secure()
param operatorKeySecret string

var secretName = 'WeChatAppSecret'
var operatorKeySecretName = 'KeysOperatorSecret'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }

  resource appSecret 'secrets' = {
    name: secretName
    properties: {
      value: weChatAppSecret
      contentType: 'WeChat official account AppSecret'
    }
  }

  // Keys__operator__Secret: sent as 'Authorization: Bearer <secret>' (docs/keys.md). Rotate through NextSecret.
  resource operatorKey 'secrets' = {
    name: operatorKeySecretName
    properties: {
      value: operatorKeySecret
      contentType: 'WxShare key operator (Keys__operator__Secret)'
    }
  }
}

output name string = vault.name
// Versionless, so that a new secret version is picked up (within 24 hours, or at once on a restart).
output weChatAppSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}/'
output operatorKeySecretUri string = '${vault.properties.vaultUri}secrets/${operatorKeySecretName}/'
