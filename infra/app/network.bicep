// A fixed outbound address for the WeChat IP whitelist: the app's subnet leaves through a NAT gateway with one
// static public IP. (A Flex app's own outbound addresses change as it scales; WeChat answers 40164 to any address
// not on the whitelist.)
param resourceToken string
param location string
param tags object

resource outboundIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = {
  name: 'pip-nat-${resourceToken}'
  location: location
  tags: tags
  sku: { name: 'Standard' }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource natGateway 'Microsoft.Network/natGateways@2024-05-01' = {
  name: 'ng-${resourceToken}'
  location: location
  tags: tags
  sku: { name: 'Standard' }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [{ id: outboundIp.id }]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-${resourceToken}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }
    subnets: [
      {
        // Flex Consumption: delegated to Microsoft.App/environments, nothing else in it, no underscore in the name.
        name: 'app'
        properties: {
          addressPrefix: '10.0.1.0/24'
          delegations: [{ name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } }]
          natGateway: { id: natGateway.id }
          defaultOutboundAccess: false
        }
      }
    ]
  }
}

output appSubnetId string = vnet.properties.subnets[0].id
output outboundIpAddress string = outboundIp.properties.ipAddress
