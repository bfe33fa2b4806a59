using System.Security.Cryptography;
using System.Text;

namespace Supervision.Domain.Ingestion;

/// <summary>SHA-256 in lowercase hex: the address of raw bytes and the identity of derived records.</summary>
public static class ContentHash
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));
}
