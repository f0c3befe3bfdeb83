using System;
using System.Security.Cryptography;

namespace WasmSharedMemory.Internals.Caching;

/// <summary>
/// The layout of one compile-cache file: a header that names the key it was written for and holds the SHA-256
/// of the compiled code, then that code. The digest travels in the same file as the code, so one rename
/// publishes both: a reader can never pair new code with an old digest.
/// </summary>
/// <remarks>
/// <code>
/// 0   "WSMCWASM"            magic, 8 bytes
/// 8   format version        int32, little-endian
/// 12  SHA-256 of the key    32 bytes: an entry copied under another key's name is foreign
/// 44  code length           int64, little-endian
/// 52  SHA-256 of the code   32 bytes
/// 84  the code              Module.Serialize() output
/// </code>
/// </remarks>
internal static class CacheEntry
{
    public const int FormatVersion = 1;
    public const int HeaderBytes = 84;
    private const int DigestBytes = 32;
    private static readonly byte[] s_magic = { (byte)'W', (byte)'S', (byte)'M', (byte)'C', (byte)'W', (byte)'A', (byte)'S', (byte)'M' };

    /// <summary>Builds the file's bytes for <paramref name="code"/> under <paramref name="keyDigest"/>.</summary>
    public static byte[] Write(byte[] keyDigest, byte[] code)
    {
        var entry = new byte[HeaderBytes + code.Length];
        s_magic.CopyTo(entry, 0);
        WriteInt64(entry, 8, FormatVersion, 4);
        keyDigest.CopyTo(entry, 12);
        WriteInt64(entry, 44, code.Length, 8);
        Sha256(code, 0, code.Length).CopyTo(entry, 52);
        Buffer.BlockCopy(code, 0, entry, HeaderBytes, code.Length);
        return entry;
    }

    /// <summary>
    /// Checks a file's bytes: the magic and format, the key it was written for, its length and the digest of the
    /// code. Returns the code's range on success; a failure means corrupt, truncated, tampered or foreign.
    /// </summary>
    public static bool TryVerify(byte[] entry, byte[] keyDigest, out ArraySegment<byte> code)
    {
        code = default;
        if (!TryVerifyHeader(entry, keyDigest, entry.Length, out long codeBytes) || !CodeMatches(entry, entry, HeaderBytes, (int)codeBytes))
        {
            return false;
        }

        code = new ArraySegment<byte>(entry, HeaderBytes, (int)codeBytes);
        return true;
    }

    /// <summary>
    /// Checks the first <see cref="HeaderBytes"/> of a file that is <paramref name="fileBytes"/> long: the magic and
    /// format, the key, and a code length that is exactly what follows the header. Lets a reader refuse a foreign or
    /// garbage file of any size after reading 84 bytes of it.
    /// </summary>
    public static bool TryVerifyHeader(byte[] header, byte[] keyDigest, long fileBytes, out long codeBytes)
    {
        codeBytes = header.Length < HeaderBytes ? -1 : ReadInt64(header, 44, 8);
        return header.Length >= HeaderBytes
            && Same(header, 0, s_magic, s_magic.Length)
            && ReadInt64(header, 8, 4) == FormatVersion
            && Same(header, 12, keyDigest, DigestBytes)
            && codeBytes == fileBytes - HeaderBytes;
    }

    /// <summary>Checks <paramref name="count"/> bytes of code at <paramref name="offset"/> of <paramref name="code"/> against the digest in <paramref name="header"/>.</summary>
    public static bool CodeMatches(byte[] header, byte[] code, int offset, int count) =>
        Same(header, 52, Sha256(code, offset, count), DigestBytes);

    public static byte[] Sha256(byte[] bytes, int offset, int count)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(bytes, offset, count);
    }

    private static bool Same(byte[] entry, int offset, byte[] expected, int count)
    {
        // Not secret, so no constant-time compare is needed: the digests guard against damage, not a forger
        // (who could rewrite the whole entry; see WasmModuleOptions.CacheDirectory on who may write there).
        for (int i = 0; i < count; i++)
        {
            if (entry[offset + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteInt64(byte[] bytes, int offset, long value, int width)
    {
        for (int i = 0; i < width; i++)
        {
            bytes[offset + i] = (byte)(value >> (8 * i));
        }
    }

    private static long ReadInt64(byte[] bytes, int offset, int width)
    {
        long value = 0;
        for (int i = 0; i < width; i++)
        {
            value |= (long)bytes[offset + i] << (8 * i);
        }

        return value;
    }
}
