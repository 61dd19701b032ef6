using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace BillingImports;

/// <summary>
/// Follows redirects with Kiota's <see cref="RedirectHandler"/>, engaged by
/// <see cref="TransientRetryHandler"/> only when an answer is a redirect. Neither API redirects in
/// normal use. As a handler in the chain, Kiota's would cost every call its async frame and the
/// request's options dictionary (about 300 bytes), and an application's first call the compilation
/// of its state machine. Engaged here, it does the same work in the same place: the redirect it is
/// handed comes first, then every hop it follows goes to the handlers below where it stood (auth,
/// then the credential-origin guard). The attempt's timeout and rate-limit permit cover the hops,
/// and each hop passes through the <see cref="ResponseBodyPolicy"/> as its <c>ShouldRedirect</c>.
/// </summary>
/// <param name="body">The pipeline's body rules, which every hop passes through.</param>
internal sealed class RedirectFollower(ResponseBodyPolicy body)
{
    /// <summary>The statuses Kiota's RedirectHandler follows.</summary>
    public static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// Hands <paramref name="redirect"/>, the answer to <paramref name="request"/>, to a new Kiota
    /// <see cref="RedirectHandler"/> over <paramref name="below"/>. The answer is whatever the
    /// redirects lead to. A redirect Kiota refuses (no <c>Location</c>, a scheme change, more than
    /// its limit) fails with its <see cref="InvalidOperationException"/>, as it did in the chain.
    /// </summary>
    public Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect, HttpRequestMessage request, HttpMessageHandler below, CancellationToken cancellationToken)
    {
        var handler = body.CreateRedirectHandler();
        handler.InnerHandler = new FirstAnswer(redirect) { InnerHandler = below };

        // Never disposed: disposing would dispose the handlers below, which the pipeline still uses;
        // these two hold nothing else.
        return new HttpMessageInvoker(handler, disposeHandler: false).SendAsync(request, cancellationToken);
    }

    /// <summary>Gives the redirect handler the answer already received as its first send's answer; every later send goes on down.</summary>
    private sealed class FirstAnswer(HttpResponseMessage first) : DelegatingHandler
    {
        private HttpResponseMessage? _first = first;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _first, null) is { } answer ? Task.FromResult(answer) : base.SendAsync(request, cancellationToken);
    }
}
