using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Supervision.Domain.Alerts;

/// <summary>
/// Signs webhook bodies as "t={unix seconds},v1={hex HMAC-SHA256 of "t.body"}". The receiver
/// rejects a stale timestamp, which makes a captured request useless for replay.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Supervision-Signature";

    public static string Sign(byte[] secret, string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Mac(secret, timestamp, body)}";
    }

    public static bool Verify(byte[] secret, string body, string header, DateTimeOffset now, TimeSpan tolerance)
    {
        string? timestamp = null, mac = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0] == "t")
            {
                timestamp = pair[1];
            }
            else if (pair[0] == "v1")
            {
                mac = pair[1];
            }
        }

        if (timestamp is null || mac is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(secret, timestamp, body)));
    }

    private static string Mac(byte[] secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
