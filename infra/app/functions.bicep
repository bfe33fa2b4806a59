// The Functions app on the Flex Consumption plan: scales to zero, per-instance memory, and
// deployment from a blob container read with the app's identity. Every storage connection is
// identity-based; secrets come from Key Vault references; schedules and deadlines are settings.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainer string
param appInsightsConnectionString string
param keyVaultName string
param feedPullSchedule string

@description('Six-field NCRONTAB: how often the inbox of pushed files is scanned.')
param inboxScanSchedule string

@description('Six-field NCRONTAB: when portraits that change by themselves (expiry, decay) are reassessed; daily.')
param portraitReassessSchedule string

@description('Six-field NCRONTAB: when sources are measured from their counters and their earned trust recorded.')
param sourceMeasureSchedule string
param decisionWindow string
param gradeThresholds object
param alertsWebhookUrl string

@description('Client id of the API\'s Entra ID app registration; empty leaves authentication unconfigured.')
param authClientId string

// One audience for the app's own JWT validator and App Service Authentication: Entra v2 access
// tokens carry the registration's client id in "aud".
var authAudience = authClientId
var authAuthority = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
var authSettings = empty(authClientId) ? [] : [
  { name: 'Auth__Authority', value: authAuthority }
  { name: 'Auth__Audience', value: authAudience }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat([
        // Identity-based storage for the runtime, the triggers and Durable: no keys anywhere.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'FEED_PULL_SCHEDULE', value: feedPullSchedule }
        { name: 'INBOX_SCAN_SCHEDULE', value: inboxScanSchedule }
        { name: 'PORTRAIT_REASSESS_SCHEDULE', value: portraitReassessSchedule }
        { name: 'SOURCE_MEASURE_SCHEDULE', value: sourceMeasureSchedule }
        { name: 'Reviews__DecisionWindow', value: decisionWindow }
        { name: 'Portraits__GradeAMinimum', value: string(gradeThresholds.a) }
        { name: 'Portraits__GradeBMinimum', value: string(gradeThresholds.b) }
        { name: 'Portraits__GradeCMinimum', value: string(gradeThresholds.c) }
        { name: 'Scoring__ModelDirectory', value: 'models' }
        { name: 'Alerts__WebhookUrl', value: alertsWebhookUrl }
        { name: 'Alerts__WebhookSecret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=alerts-webhook-secret)' }
      ], authSettings)
    }
  }
}

// App Service Authentication validates Entra tokens and sets X-MS-CLIENT-PRINCIPAL (and
// WEBSITE_AUTH_ENABLED, which the app checks before reading it), but decides nothing: requests
// without a token pass through, so the app's own access rules answer health, openapi.json and
// the console anonymously and refuse the rest, and machine clients call with bearer tokens.
resource authSettingsV2 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: { clientId: authClientId, openIdIssuer: authAuthority }
        validation: { allowedAudiences: [ authAudience ] }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
