// The AppSecret lives here and nowhere else; the app reads it through a Key Vault reference.
param name string
param location string
param tags object

@secure()
param weChatAppSecret string

var secretName = 'WeChatAppSecret'

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
}

output name string = vault.name
// Versionless, so that a new secret version is picked up (within 24 hours, or at once on a restart).
output weChatAppSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}/'
