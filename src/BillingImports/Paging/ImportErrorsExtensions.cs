using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Reads why an Elastic Path import failed: the lines it could not import.</summary>
public static class ImportErrorsExtensions
{
    /// <summary>The largest page the service serves (<c>page[limit]</c>).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The largest <c>page[offset]</c> the service accepts; errors past it cannot be listed.</summary>
    public const int MaxOffset = 10_000;

    /// <summary>
    /// Every error of an import job, in line order, fetching page after page as the caller reads
    /// (<c>GET /v2/subscriptions/imports/{uuid}/errors</c>). The walk follows the service's
    /// <c>links.next</c>; without links it goes on while pages come back full. It stops at the
    /// service's offset limit (<see cref="MaxOffset"/>), so at most 10,100 errors are read.
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="pageSize">Errors per request, from 1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The errors, ordered by line number.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is outside 1 to <see cref="MaxPageSize"/>.</exception>
    /// <exception cref="BillingImportsApiException">A page could not be fetched.</exception>
    public static async IAsyncEnumerable<SubscriptionImportError> GetImportErrorsAsync(
        this ISubscriptionImportsClient client,
        string importUuid,
        int pageSize = MaxPageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importUuid);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);

        var offset = 0;
        while (true)
        {
            var page = await client.ListImportErrorsAsync(importUuid, offset, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var error in page.Data)
            {
                yield return error;
            }

            var hasNext = page.Links is { } links ? !string.IsNullOrWhiteSpace(links.Next) : page.Data.Count >= pageSize;
            offset += page.Data.Count;
            if (page.Data.Count == 0 || !hasNext || offset > MaxOffset)
            {
                yield break;
            }
        }
    }

    /// <summary>The first <paramref name="count"/> errors of an import job, in line order, in as few requests as that takes.</summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="count">How many errors at most, 1 or more.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>Up to <paramref name="count"/> errors.</returns>
    /// <exception cref="BillingImportsApiException">A page could not be fetched.</exception>
    public static async Task<IReadOnlyList<SubscriptionImportError>> GetFirstImportErrorsAsync(
        this ISubscriptionImportsClient client,
        string importUuid,
        int count,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var errors = new List<SubscriptionImportError>(Math.Min(count, MaxPageSize));
        await foreach (var error in client.GetImportErrorsAsync(importUuid, Math.Min(count, MaxPageSize), cancellationToken).ConfigureAwait(false))
        {
            errors.Add(error);
            if (errors.Count == count)
            {
                break;
            }
        }

        return errors;
    }
}
