using BillingImports.Tests.Errors;

namespace BillingImports.Tests.Models;

/// <summary>
/// Timestamps with 0 to 9 fractional digits and any offset read through the real clients.
/// System.Text.Json alone reads the digits and ±hh:mm offsets; the SDK's converter adds what
/// RFC 3339 also allows and the services have sent (lower-case z, a space separator, +hhmm), and
/// reads a timestamp without an offset as UTC instead of as the machine's local time.
/// </summary>
public sealed class TimestampTests(ApiServer server) : IClassFixture<ApiServer>
{
    public static TheoryData<string, string> Readable() => new()
    {
        { "2024-06-01T12:00:00Z", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00.1Z", "2024-06-01T12:00:00.1000000+00:00" },
        { "2024-06-01T12:00:00.12Z", "2024-06-01T12:00:00.1200000+00:00" },
        { "2024-06-01T12:00:00.123Z", "2024-06-01T12:00:00.1230000+00:00" },
        { "2024-06-01T12:00:00.1234Z", "2024-06-01T12:00:00.1234000+00:00" },
        { "2024-06-01T12:00:00.12345Z", "2024-06-01T12:00:00.1234500+00:00" },
        { "2024-06-01T12:00:00.123456Z", "2024-06-01T12:00:00.1234560+00:00" },
        { "2024-06-01T12:00:00.1234567Z", "2024-06-01T12:00:00.1234567+00:00" },
        { "2024-06-01T12:00:00.12345678Z", "2024-06-01T12:00:00.1234567+00:00" },
        { "2024-06-01T12:00:00.123456789Z", "2024-06-01T12:00:00.1234567+00:00" },
        { "2024-06-01T23:59:59.999999999Z", "2024-06-01T23:59:59.9999999+00:00" },
        { "2024-06-01T12:00:00+05:30", "2024-06-01T12:00:00.0000000+05:30" },
        { "2024-06-01T12:00:00.987654321-07:00", "2024-06-01T12:00:00.9876543-07:00" },
        { "2024-06-01T12:00:00+00:00", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00+0530", "2024-06-01T12:00:00.0000000+05:30" },
        { "2024-06-01T12:00:00-03", "2024-06-01T12:00:00.0000000-03:00" },
        { "2024-06-01T12:00:00.5z", "2024-06-01T12:00:00.5000000+00:00" },
        { "2024-06-01 12:00:00Z", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01t12:00:00Z", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00,25Z", "2024-06-01T12:00:00.2500000+00:00" },
        { "2024-06-01T12:00Z", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00.123456", "2024-06-01T12:00:00.1234560+00:00" },
        { "2024-06-01", "2024-06-01T00:00:00.0000000+00:00" },
        { " 2024-06-01T12:00:00Z ", "2024-06-01T12:00:00.0000000+00:00" },
        { "2024-06-01T12:00:00.25\\u005A", "2024-06-01T12:00:00.2500000+00:00" },
        { "\\u0032024-06-01T12:00:00+05:30", "2024-06-01T12:00:00.0000000+05:30" },
        { new string(' ', 100) + "2024-06-01T12:00:00.5+0530" + new string(' ', 40), "2024-06-01T12:00:00.5000000+05:30" },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public async Task Read_ImportTimestamp_ParsedToSevenDigitsKeepingOffset(string sent, string expected)
    {
        var import = await server.ReadImportAsync(ImportWith($$"""{"created_at":"{{sent}}","updated_at":"{{sent}}","started_at":"{{sent}}","finished_at":"{{sent}}"}"""));

        var timestamps = import.Timestamps;
        Assert.Equal(expected, timestamps.CreatedAt!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(timestamps.CreatedAt, timestamps.UpdatedAt);
        Assert.Equal(timestamps.CreatedAt, timestamps.StartedAt);
        Assert.Equal(timestamps.CreatedAt, timestamps.FinishedAt);
    }

    [Theory]
    [InlineData("2016-01-09T16:23:36.000Z")]
    [InlineData("2016-01-09T16:23:36Z")]
    [InlineData("2016-01-09T17:23:36.000000001+01:00")]
    public async Task Read_DataSourceCreatedAt_WithAndWithoutFraction(string sent)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","created_at":"{{sent}}"}""");

        Assert.Equal(new DateTimeOffset(2016, 1, 9, 16, 23, 36, TimeSpan.Zero), source.CreatedAt);
    }

    [Fact]
    public async Task Read_StartedAndFinishedAbsent_Null()
    {
        var import = await server.ReadImportAsync(ImportWith("""{"updated_at":"2024-05-01T09:00:01.5Z","created_at":"2024-05-01T09:00:00.123Z"}"""));

        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 0, 123, TimeSpan.Zero), import.Timestamps.CreatedAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 1, 500, TimeSpan.Zero), import.Timestamps.UpdatedAt);
        Assert.Null(import.Timestamps.StartedAt);
        Assert.Null(import.Timestamps.FinishedAt);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public async Task Read_StartedAtNullOrEmpty_Null(string sent)
    {
        var import = await server.ReadImportAsync(ImportWith($$"""{"created_at":"2024-05-01T09:00:00Z","started_at":{{sent}}}"""));

        Assert.Null(import.Timestamps.StartedAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero), import.Timestamps.CreatedAt);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2024-13-45T99:00:00Z\"")]
    [InlineData("\"2024-06-01T12:00:00+5\"")]
    [InlineData("1717243200")]
    [InlineData("{}")]
    public async Task Read_TimestampUnreadable_InvalidResponseNotJsonException(string sent)
    {
        var id = server.Import(200, ImportWith($$"""{"created_at":{{sent}}}"""));

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => server.Imports.GetImportAsync(id, Support.TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("created_at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalForm_ReadsExactlyAsTheCulturesExactParserDoes()
    {
        // The reader of the normal form replaces DateTimeOffset.TryParseExact with these two formats;
        // every string here, valid or not, must come out the same from both. Each ends in something
        // where the offset goes: the normal form always has one (without, the culture's parser would
        // read the machine's local time, which is what the normal form exists to avoid).
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        string[] dates = ["2024-06-01", "2024-02-29", "2023-02-29", "2023-04-31", "0000-01-01", "0001-01-01", "9999-12-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-010", "2024/06/01", "２０２４-06-01", "20240601xx"];
        string[] times = ["12:00", "12:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "00:00", "7:00:00", "12:0:00", "12:00:0", "1200", "12:00:00:00", ""];
        string[] fractions = ["", ".", ".1", ".12", ".1234567", ".12345678", ".9999999", ",5"];
        string[] offsets = ["Z", "z", "+00:00", "+05:30", "-07:00", "+14:00", "-14:00", "+14:01", "+13:59", "-13:60", "+1:00", "+0530", "+530", "+05", "Z ", "+05:30:00", "x"];
        var checkedCount = 0;
        foreach (var date in dates)
        {
            foreach (var time in times)
            {
                foreach (var fraction in fractions)
                {
                    foreach (var offset in offsets)
                    {
                        var text = date + "T" + time + fraction + offset;
                        var expectedRead = DateTimeOffset.TryParseExact(text, formats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expected);
                        var read = Timestamps.TryParseNormalized(text, out var actual);
                        Assert.True(expectedRead == read, $"{text}: expected {(expectedRead ? "read" : "refused")}");
                        Assert.True(expected == actual && expected.Offset == actual.Offset, $"{text}: {expected:O} expected, {actual:O} read");
                        checkedCount++;
                    }
                }
            }
        }

        Assert.True(checkedCount > 10_000);
    }

    [Fact]
    public void JsonToken_ReadsExactlyAsTheTextParserDoes()
    {
        // A token ending in Z or ±hh:mm is first offered to System.Text.Json's own reader; whatever it
        // takes must come out as the SDK's parser reads the same text, and whatever it refuses must
        // still be read the SDK's way.
        string[] dates = ["2024-06-01", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "2024-13-01", "2024-01-00", "2024/06/01"];
        string[] separators = ["T", "t", " "];
        string[] times = ["12:00", "12:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "00:00:00", "7:00:00", "1200", ""];
        string[] fractions = ["", ".", ".1", ".1234567", ".12345678", ".123456789012345678", ",5"];
        string[] offsets = ["Z", "z", "", "+00:00", "+05:30", "-07:00", "+14:00", "-14:00", "+14:01", "-13:60", "+1:00", "+0530", "+05", "+05:3x"];
        var offeredAndTaken = 0;
        foreach (var text in from date in dates from separator in separators from time in times from fraction in fractions from offset in offsets select date + separator + time + fraction + offset)
        {
            var token = System.Text.Encoding.UTF8.GetBytes("\"" + text + "\"");
            var expectedRead = Timestamps.TryParse(text, out var expected);

            var reader = new System.Text.Json.Utf8JsonReader(token);
            reader.Read();
            var read = Timestamps.TryRead(ref reader, out _, out var actual);

            Assert.True(expectedRead == read, $"{text}: expected {(expectedRead ? "read" : "refused")}");
            Assert.True(expected == actual && expected.Offset == actual.Offset, $"{text}: {expected:O} expected, {actual:O} read");

            var plain = new System.Text.Json.Utf8JsonReader(token);
            plain.Read();
            offeredAndTaken += plain.TryGetDateTimeOffset(out _) && (text.EndsWith('Z') || text[^3] == ':') ? 1 : 0;
        }

        // The fast path was taken often enough for the comparison to mean something.
        Assert.True(offeredAndTaken > 100, $"{offeredAndTaken} tokens read by System.Text.Json");
    }

    [Theory]
    [InlineData("2024-06-01T12:00:0\u00FF0Z")]
    [InlineData("2024-06-01T12:00:00+05:\u00FF0")]
    [InlineData("\u00FF2024-06-01T12:00:00Z")]
    public void InvalidUtf8InATimestamp_IsAJsonException(string marked)
    {
        // \u00FF stands for a lone 0xFF byte, which no UTF-8 text holds: on either path (the
        // serializer's reader or the copy to the stack) the body is unreadable JSON, which the
        // clients report as an invalid response, never another exception.
        var json = System.Text.Encoding.UTF8.GetBytes($$"""{"uuid":"ds_1","name":"n","status":"idle","created_at":"{{marked}}"}""");
        var bytes = new List<byte>();
        for (var i = 0; i < json.Length; i++)
        {
            var isMarker = json[i] == 0xC3 && i + 1 < json.Length && json[i + 1] == 0xBF;
            bytes.Add(isMarker ? (byte)0xFF : json[i]);
            i += isMarker ? 1 : 0;
        }

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize([.. bytes], DataSourcesClientJsonContext.Default.DataSource));
    }

    [Fact]
    public void SystemTextJsonAlone_ReadsNineDigitsButRejectsCompactOffset()
    {
        // Why the converter exists: the default reader handles the fraction, not every offset form.
        var nine = System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>("\"2024-06-01T12:00:00.123456789Z\"");
        Assert.Equal(1234567, nine.Ticks % TimeSpan.TicksPerSecond);
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>("\"2024-06-01T12:00:00+0530\""));
    }

    private static string ImportWith(string timestamps) =>
        """{"data":{"id":"i1","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","records":{"uploaded":{},"imported":{}},"timestamps":""" + timestamps + "}}}";
}
