namespace BillingImports;

/// <summary>
/// What both clients share: where to call, how long to wait, how to retry, how to identify. Every
/// member is plain data, so the options bind from configuration; the clock and the logger factory
/// are services, given to the client's constructor or taken from the DI container.
/// </summary>
public abstract class BillingImportsClientOptions
{
    // Only the SDK's two option types derive from this one.
    private protected BillingImportsClientOptions()
    {
    }

    /// <summary>
    /// The service's base address, ending in <c>/</c>. Null for the default from the OpenAPI document.
    /// Must be https, except on a loopback host (a fake server in tests).
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// How long one attempt may take, from sending the request to the last byte of a success body,
    /// before it counts as a transient timeout. Default 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest success body, in decoded bytes (after gzip, deflate or brotli), that a call reads;
    /// a larger one ends the call with a <see cref="BillingImportsApiException"/> of kind
    /// <see cref="ApiErrorKind.InvalidResponse"/> as soon as the limit is passed. Default 4 MiB (the
    /// documents are a few kilobytes); at most <see cref="int.MaxValue"/>.
    /// </summary>
    public long MaxResponseBodySize { get; set; } = DefaultMaxResponseBodySize;

    /// <summary>
    /// The most connections the client opens to the service at once; further requests wait for a
    /// free one (the wait counts toward <see cref="Timeout"/>). Default 20: a burst of calls or waits
    /// must not open one connection each, ChartMogul answers 503 above 20 parallel connections, and
    /// 20 carry the documented request rate (<see cref="DocumentedMaxRequestsPerSecond"/>) at
    /// answer times up to 200 ms on Elastic Path and 500 ms on ChartMogul, where 10 would carry half.
    /// </summary>
    public int MaxConnectionsPerServer { get; set; } = DefaultMaxConnectionsPerServer;

    /// <summary>
    /// The most requests the client sends in any one second, shared by all its calls and waits
    /// (10,000 waits on one client stay within it together), retries included; a request beyond it
    /// waits for its turn. Null (the default) for the service's documented limit:
    /// <see cref="DocumentedMaxRequestsPerSecond"/>, or none when <see cref="BaseAddress"/> is on a
    /// loopback host (a fake server). 0 turns the limit off; at most 10,000.
    /// </summary>
    public int? MaxRequestsPerSecond { get; set; }

    /// <summary>
    /// The service's documented request rate limit, which <see cref="MaxRequestsPerSecond"/> keeps
    /// to by default: ChartMogul 40 requests a second; Elastic Path 100 for production stores and
    /// organizations, 25 for development stores.
    /// </summary>
    public abstract int DocumentedMaxRequestsPerSecond { get; }

    /// <summary>How transient failures are retried.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Text appended to the <c>User-Agent</c> header, such as <c>"my-app/2.1"</c>: product tokens and
    /// comments on one line, or the options do not validate.
    /// </summary>
    public string? UserAgent { get; set; }

    /// <summary>The address used when <see cref="BaseAddress"/> is null: the service's production API, from the OpenAPI document.</summary>
    public abstract Uri DefaultBaseAddress { get; }

    internal const long DefaultMaxResponseBodySize = 4 * 1024 * 1024;

    internal const int DefaultMaxConnectionsPerServer = 20;

    internal Uri EffectiveBaseAddress => WithTrailingSlash(BaseAddress ?? DefaultBaseAddress);

    internal const int MaxRequestsPerSecondLimit = 10_000;

    /// <summary>The rate the pipeline keeps to; null for none.</summary>
    internal int? EffectiveMaxRequestsPerSecond => MaxRequestsPerSecond switch
    {
        0 => null,
        { } rate => rate,
        null when BaseAddress is { IsAbsoluteUri: true, IsLoopback: true } => null,
        null => DocumentedMaxRequestsPerSecond,
    };

    /// <summary>Every problem with these options, each as one sentence; empty when valid.</summary>
    internal List<string> Validate()
    {
        var problems = new List<string>();
        AddProblems(problems);
        return problems;
    }

    /// <summary>
    /// Adds every problem with these options to <paramref name="problems"/>. A plain method, not an
    /// iterator: every client validates its options once, and three iterator state machines were a
    /// measurable part of an application's first call.
    /// </summary>
    private protected virtual void AddProblems(List<string> problems)
    {
        if (BaseAddress is { } address)
        {
            // The messages show scheme and host only: user info is a credential, and a path or query
            // may hold one too.
            if (!address.IsAbsoluteUri)
            {
                problems.Add("BaseAddress must be an absolute URI such as https://api.example.com/, not a relative one.");
            }
            else
            {
                if (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && address.IsLoopback))
                {
                    problems.Add($"BaseAddress must use https (http is allowed only on a loopback host), not '{address.Scheme}://{address.Host}'.");
                }

                if (!string.IsNullOrEmpty(address.UserInfo))
                {
                    problems.Add("BaseAddress must not carry credentials (user info); set them on the options instead.");
                }
            }
        }

        if ((Timeout <= TimeSpan.Zero || Timeout > Timers.MaxDelay) && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            problems.Add("Timeout must be positive and at most 49 days, or Timeout.InfiniteTimeSpan.");
        }

        if (MaxResponseBodySize is <= 0 or > int.MaxValue)
        {
            problems.Add("MaxResponseBodySize must be between 1 and 2147483647 bytes.");
        }

        if (MaxConnectionsPerServer <= 0)
        {
            problems.Add("MaxConnectionsPerServer must be at least 1.");
        }

        if (MaxRequestsPerSecond is < 0 or > MaxRequestsPerSecondLimit)
        {
            problems.Add("MaxRequestsPerSecond must be from 0 (no limit) to 10000, or null for the service's documented limit.");
        }

        if (!string.IsNullOrWhiteSpace(UserAgent) && !IsValidUserAgent(UserAgent))
        {
            // The value is not repeated: it is not valid header text and may hold line breaks.
            problems.Add("UserAgent must be product tokens and comments such as \"my-app/2.1 (ops)\", on one line.");
        }

        if (Retry is null)
        {
            problems.Add("Retry cannot be null.");
        }
        else
        {
            Retry.AddProblems(problems);
        }
    }

    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}: {string.Join(" ", problems)}");
        }
    }

    /// <summary>
    /// The address for <c>ToString</c>: scheme, host and path, without user info or query (either
    /// may hold a credential), and without throwing on options that do not validate.
    /// </summary>
    /// <param name="defaultAddress">The default address, or null when it cannot be known.</param>
    private protected string DescribeAddress(Uri? defaultAddress) => (BaseAddress ?? defaultAddress) switch
    {
        null => "(invalid)",
        { IsAbsoluteUri: false } => "(relative)",
        var address => address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
    };

    /// <summary>Whether HttpClient accepts the text as the tail of a <c>User-Agent</c> header.</summary>
    private static bool IsValidUserAgent(string userAgent)
    {
        using var probe = new HttpRequestMessage();
        return probe.Headers.UserAgent.TryParseAdd(userAgent);
    }

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
