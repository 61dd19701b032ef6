namespace BillingImports;

/// <summary>The Elastic Path Commerce Cloud region a store lives in.</summary>
public enum ElasticPathRegion
{
    /// <summary><c>https://useast.api.elasticpath.com</c></summary>
    UsEast = 0,

    /// <summary><c>https://euwest.api.elasticpath.com</c></summary>
    EuWest = 1,
}
