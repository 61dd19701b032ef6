namespace BillingImports;

/// <summary>What went wrong with a call, in terms a caller can act on.</summary>
public enum ApiErrorKind
{
    /// <summary>Nothing more specific is known.</summary>
    Unknown = 0,

    /// <summary>400: the request was not valid.</summary>
    BadRequest,

    /// <summary>401: the credentials are missing, wrong or expired.</summary>
    Unauthorized,

    /// <summary>403: the credentials lack the permission for this call.</summary>
    Forbidden,

    /// <summary>
    /// 404 or 410, and also a 400 or 422 whose body says the id is malformed (ChartMogul's 422
    /// "Invalid UUID passed", Elastic Path's 400 "must be a valid UUID"): no resource has that id.
    /// <c>ApiErrorExtensions.IsInvalidId</c> tells a malformed id from an unknown one.
    /// </summary>
    NotFound,

    /// <summary>422: the request was understood but a value is invalid.</summary>
    Validation,

    /// <summary>429: too many requests; see <see cref="BillingImportsApiException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>5xx: the service failed.</summary>
    ServerError,

    /// <summary>A success status whose body is not the documented document (malformed or truncated JSON, or not JSON).</summary>
    InvalidResponse,

    /// <summary>The call did not complete in time.</summary>
    Timeout,

    /// <summary>The request never got an HTTP answer (connection refused, reset, DNS failure).</summary>
    Network,
}
