using System.Diagnostics.Metrics;

namespace BillingImports.Tests.Support;

/// <summary>Records every measurement of one SDK instrument while it lives, with its tags.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly List<Measurement> _measurements = [];
    private readonly MeterListener _listener = new();

    public MetricRecorder(string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BillingImportsTelemetry.MeterName && instrument.Name == instrumentName)
            {
                Instrument = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (_measurements)
            {
                _measurements.Add(new Measurement(value, copy));
            }
        });
        _listener.Start();
    }

    public Instrument? Instrument { get; private set; }

    /// <summary>The measurements tagged with this port: one test's own server, whatever runs beside it.</summary>
    public IReadOnlyList<Measurement> ForPort(int port)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Tags.TryGetValue("server.port", out var value) && value is int p && p == port)];
        }
    }

    public void Dispose() => _listener.Dispose();

    internal sealed record Measurement(double Value, IReadOnlyDictionary<string, object?> Tags);
}
