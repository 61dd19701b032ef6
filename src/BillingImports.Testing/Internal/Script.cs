namespace BillingImports.Testing.Internal;

/// <summary>How a status step moves the record counts of a resource.</summary>
internal enum ProgressKind
{
    /// <summary>Nothing processed yet (pending, never_imported).</summary>
    Zero,

    /// <summary>Poll k of n reports k/(n+1) of the records: strictly between none and all.</summary>
    Growing,

    /// <summary>Everything processed (success, idle, import_complete).</summary>
    Complete,

    /// <summary>Counts stay where the previous status left them (failed, an unknown status).</summary>
    Unchanged,
}

/// <summary>One step of a script; it answers <see cref="Polls"/> requests (the last step answers every later one too).</summary>
internal abstract record Step(int Polls);

/// <summary>A 200 reply with a status value.</summary>
internal sealed record StatusStep(string Status, int Polls, ProgressKind Progress, bool Starts, bool Finishes) : Step(Polls);

/// <summary>A vendor error reply (404, 429, 500) with the spec's body for that status.</summary>
internal sealed record ErrorStep(int StatusCode, TimeSpan? RetryAfter, int Polls) : Step(Polls);

/// <summary>A spec example of a data source, served with only the with_* members the request asks for.</summary>
internal sealed record ExampleStep(System.Text.Json.Nodes.JsonObject Body, int Polls) : Step(Polls);

/// <summary>A reply given verbatim: a spec example or a body the test supplies.</summary>
internal sealed record RawStep(int StatusCode, string Body, string ContentType, int Polls) : Step(Polls);

/// <summary>
/// Where a resource is after a request: the step that answers it and the state the steps so far
/// have built up. Request indexes count from 0 and stand in for time, so the bodies are the same on
/// every run.
/// </summary>
internal readonly record struct Position(
    Step Step,
    int Request,
    long ProgressNumerator,
    long ProgressDenominator,
    int? StartedAt,
    int? FinishedAt)
{
    /// <summary>The share of <paramref name="total"/> processed at this position, rounded down.</summary>
    public long Share(long total) => total * ProgressNumerator / ProgressDenominator;
}

/// <summary>
/// The steps of one scripted resource and where it is in them. Each request that reaches the
/// resource moves it one poll forward; the last step keeps answering until another step is added,
/// and a step added after polling began picks up from the state the served requests left.
/// </summary>
internal sealed class Script(Step whenEmpty)
{
    private readonly Lock _gate = new();
    private readonly List<Step> _steps = [];
    private int _served;

    // The step that answered the last request and its poll number; -1 before the first step has
    // answered (including while the script is empty and whenEmpty answers).
    private int _step = -1;
    private int _poll;
    private long _numerator;
    private long _denominator = 1;
    private int? _startedAt;
    private int? _finishedAt;

    public void Add(Step step)
    {
        lock (_gate)
        {
            _steps.Add(step);
        }
    }

    /// <summary>Moves one request forward and returns where the resource is for it.</summary>
    public Position Next()
    {
        lock (_gate)
        {
            var request = _served++;
            Step step;
            if (_steps.Count == 0)
            {
                (step, _poll) = (whenEmpty, 1);
            }
            else
            {
                if (_step < 0)
                {
                    (_step, _poll) = (0, 1);
                }
                else if (_poll < _steps[_step].Polls)
                {
                    _poll++;
                }
                else if (_step + 1 < _steps.Count)
                {
                    (_step, _poll) = (_step + 1, 1);
                }

                step = _steps[_step];
            }

            if (step is StatusStep status)
            {
                Apply(status, request);
            }

            return new Position(step, request, _numerator, _denominator, _startedAt, _finishedAt);
        }
    }

    private void Apply(StatusStep status, int request)
    {
        (_numerator, _denominator) = status.Progress switch
        {
            ProgressKind.Zero => (0L, 1L),
            ProgressKind.Growing => (_poll, status.Polls + 1L),
            ProgressKind.Complete => (1L, 1L),
            _ => (_numerator, _denominator),
        };

        if (status.Progress == ProgressKind.Zero)
        {
            _startedAt = null;
        }
        else if (status.Starts)
        {
            _startedAt ??= request;
        }

        _finishedAt = status.Finishes ? _finishedAt ?? request : null;
    }
}
