namespace BillingImports.Tests.Hangfire;

/// <summary>
/// A test that needs a PostgreSQL server of its own: skipped, with the reason, only where
/// PostgreSQL is not installed and this is not CI. In CI (<c>CI=true</c>), where .ci/run installs
/// it, a missing PostgreSQL fails the test instead of hiding it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.Unavailable is { } reason && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = reason;
        }
    }
}
