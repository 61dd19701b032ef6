using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BillingImports.Tests.Support;

/// <summary>
/// Records the SDK meter's measurements made inside one trace (the current activity's when it
/// starts), so tests that run in parallel never see each other's.
/// </summary>
internal sealed class WaitMetricRecorder : IDisposable
{
    private readonly List<Measurement> _measurements = [];
    private readonly MeterListener _listener = new();
    private readonly ActivityTraceId _trace;

    public WaitMetricRecorder()
    {
        _trace = Activity.Current?.TraceId ?? throw new InvalidOperationException("Start the test's own activity first.");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BillingImportsTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Measurements
    {
        get
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }
    }

    public IReadOnlyList<Measurement> Of(string instrument) => [.. Measurements.Where(measurement => measurement.Instrument == instrument)];

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current?.TraceId != _trace)
        {
            return;
        }

        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add(new Measurement(instrument.Name, instrument.Unit, value, copy));
        }
    }

    internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);
}
