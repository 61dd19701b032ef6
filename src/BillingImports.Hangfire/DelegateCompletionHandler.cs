namespace BillingImports.Hangfire;

/// <summary>An <see cref="IWaitCompletionHandler"/> that calls a delegate, for apps that need no class of their own.</summary>
internal sealed class DelegateCompletionHandler(Func<WaitCompletion, CancellationToken, Task> onCompleted) : IWaitCompletionHandler
{
    public Task OnWaitCompletedAsync(WaitCompletion completion, CancellationToken cancellationToken) => onCompleted(completion, cancellationToken);
}
