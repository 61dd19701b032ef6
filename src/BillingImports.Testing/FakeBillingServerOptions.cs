namespace BillingImports.Testing;

/// <summary>The credentials and behaviour of a <see cref="FakeBillingServer"/>.</summary>
public sealed class FakeBillingServerOptions
{
    /// <summary>The ChartMogul API key the fake accepts (as the Basic user name, with an empty password). Default <c>test-api-key</c>.</summary>
    public string ApiKey { get; set; } = "test-api-key";

    /// <summary>The Elastic Path client id the token endpoint accepts. Default <c>test-client-id</c>.</summary>
    public string ClientId { get; set; } = "test-client-id";

    /// <summary>The Elastic Path client secret the token endpoint accepts. Default <c>test-client-secret</c>.</summary>
    public string ClientSecret { get; set; } = "test-client-secret";

    /// <summary>How long an issued access token is accepted (<c>expires_in</c>). Default one hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The clock that stamps and expires access tokens. Give a fake clock to test token refresh
    /// without waiting. Default <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// When true (the default), the ids of the spec's 200 examples answer with those examples; an id
    /// that appears in several (the pending and success imports) answers them in document order, then
    /// keeps the last. When false, the fake knows only what a test adds.
    /// </summary>
    public bool ServeSpecExamples { get; set; } = true;
}
