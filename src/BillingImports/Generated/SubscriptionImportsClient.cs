namespace BillingImports;

/// <summary>
/// Elastic Path Subscriptions import jobs (<c>GET /v2/subscriptions/imports/{uuid}</c>) and their
/// errors, generated from the OpenAPI document. Every failure is a
/// <see cref="BillingImportsApiException"/>. <see cref="ElasticPathClient.SubscriptionImports"/> is one
/// on the SDK's pipeline; mock this interface in tests of code that uses it.
/// </summary>
public partial interface ISubscriptionImportsClient
{
}

/// <summary>
/// The generated Elastic Path imports client. Give it an <see cref="HttpClient"/> whose
/// <c>BaseAddress</c> is the region's API and that authenticates (as <see cref="ElasticPathClient"/>
/// and <c>AddElasticPathClient</c> do).
/// </summary>
public partial class SubscriptionImportsClient
{
}
