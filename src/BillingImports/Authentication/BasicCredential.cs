using System.Text;

namespace BillingImports;

/// <summary>ChartMogul's Basic credential: the API key as the user name and an empty password.</summary>
internal static class BasicCredential
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>
    /// <c>key:</c> in Base64, as <see cref="Convert.ToBase64String(byte[])"/> writes it. Encoded here,
    /// a few dozen bytes once per client: the framework's vectorized encoder is compiled at its first
    /// use, about a millisecond of an application's first call.
    /// </summary>
    public static string Encode(string apiKey)
    {
        var bytes = Encoding.UTF8.GetBytes(apiKey + ":");
        var text = new char[(bytes.Length + 2) / 3 * 4];
        var i = 0;
        var o = 0;
        for (; i + 2 < bytes.Length; i += 3)
        {
            var group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
            text[o++] = Alphabet[group >> 18];
            text[o++] = Alphabet[(group >> 12) & 63];
            text[o++] = Alphabet[(group >> 6) & 63];
            text[o++] = Alphabet[group & 63];
        }

        if (i < bytes.Length)
        {
            var two = i + 1 < bytes.Length;
            var group = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
            text[o++] = Alphabet[group >> 18];
            text[o++] = Alphabet[(group >> 12) & 63];
            text[o++] = two ? Alphabet[(group >> 6) & 63] : '=';
            text[o] = '=';
        }

        return new string(text);
    }
}
