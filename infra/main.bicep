// Supervision in one resource group: a Functions app on the Flex Consumption plan running the
// isolated worker, one storage account (runtime, queues, tables, blobs, Durable task hub) with
// shared-key access disabled, a user-assigned identity holding only the data-plane roles it
// needs, Log Analytics with Application Insights, and Key Vault for secrets. `azd up` deploys it.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags derive from it.')
param environmentName string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Six-field NCRONTAB schedule for pulling third-party feeds.')
param feedPullSchedule string = '0 */5 * * * *'

@description('Six-field NCRONTAB for scanning the inbox of files pushed by credit bureaus and trade associations.')
param inboxScanSchedule string = '0 */5 * * * *'

@description('Six-field NCRONTAB for reassessing portraits whose grade changes by itself (a record expires, decay crosses a grade).')
param portraitReassessSchedule string = '0 5 0 * * *'

@description('Six-field NCRONTAB for measuring each source from its counters and recording the trust it earns.')
param sourceMeasureSchedule string = '0 */10 * * * *'

@description('How long each department has to decide on a joint review (d.hh:mm:ss).')
param decisionWindow string = '3.00:00:00'

@description('Credit-grade thresholds on the 0-100 portrait score: at or above A, B, C; below C is D, which opens joint-punishment reviews.')
param gradeThresholds object = { a: 85, b: 70, c: 55 }

@description('Where alerts are POSTed, HMAC-signed; empty records them only.')
param alertsWebhookUrl string = ''

@description('Object id of a person or group that may manage Key Vault secrets (webhook, SMTP, third-party API credentials); empty grants nobody.')
param vaultAdminPrincipalId string = ''

@description('Client id of the API\'s Entra ID app registration (its app roles: customs.reviewer, operator, ...). Given: bearer tokens with this audience are validated and App Service Authentication is set up to let every request through; empty: no caller can prove an identity.')
param authClientId string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, application: 'supervision' }
var deploymentContainer = 'app-package'

module identity 'app/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-supervision-${token}', location: location, tags: tags }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stsup${token}'
    location: location
    tags: tags
    deploymentContainer: deploymentContainer
    principalId: identity.outputs.principalId
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: 'supervision-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-sup-${token}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    officerPrincipalId: vaultAdminPrincipalId
  }
}

module functions 'app/functions.bicep' = {
  name: 'functions'
  params: {
    name: 'func-supervision-${token}'
    planName: 'plan-supervision-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultName: vault.outputs.name
    feedPullSchedule: feedPullSchedule
    inboxScanSchedule: inboxScanSchedule
    portraitReassessSchedule: portraitReassessSchedule
    sourceMeasureSchedule: sourceMeasureSchedule
    decisionWindow: decisionWindow
    gradeThresholds: gradeThresholds
    alertsWebhookUrl: alertsWebhookUrl
    authClientId: authClientId
  }
}

output AZURE_FUNCTION_APP_NAME string = functions.outputs.name
output AZURE_FUNCTION_APP_URL string = functions.outputs.url
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
