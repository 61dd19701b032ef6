namespace BillingImports;

/// <summary>
/// ChartMogul data sources (<c>GET /v1/data_sources/{uuid}</c>), generated from the OpenAPI document.
/// Every failure is a <see cref="BillingImportsApiException"/>. <see cref="ChartMogulClient.DataSources"/>
/// is one on the SDK's pipeline; mock this interface in tests of code that uses it.
/// </summary>
public partial interface IDataSourcesClient
{
}

/// <summary>
/// The generated ChartMogul data sources client. Give it an <see cref="HttpClient"/> whose
/// <c>BaseAddress</c> is the API and that authenticates (as <see cref="ChartMogulClient"/> and
/// <c>AddChartMogulClient</c> do).
/// </summary>
public partial class DataSourcesClient
{
}
