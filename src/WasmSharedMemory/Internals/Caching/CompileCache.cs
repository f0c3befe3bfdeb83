using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Wasmtime;

namespace WasmSharedMemory.Internals.Caching;

/// <summary>
/// Compiled code on disk, so a module is compiled once per machine rather than once per process: an entry is
/// keyed by the SHA-256 of the module's bytes, the engine's settings and the Wasmtime version
/// (<see cref="Engines.EngineProfile.Key"/>).
/// </summary>
/// <remarks>
/// <para>
/// Wasmtime's deserialization trusts its input (it maps the bytes as executable code), so an entry is handed to
/// it only after <see cref="CacheEntry.TryVerify"/> has checked its header and the SHA-256 of the code against
/// the digest kept beside it. A corrupt, truncated, tampered or foreign entry, or one Wasmtime refuses, is never
/// executed: the module is compiled and the entry replaced.
/// </para>
/// <para>
/// Writes are atomic: the entry goes to a temporary file of its own in the same directory, which is then renamed
/// over the entry's name. Two threads or processes that fill one cache at once each publish a whole entry;
/// the last rename wins, and a reader sees either the old file or the new one. A crash mid-write leaves at most
/// a temporary file (or, without a flush to disk, an entry that fails its digest), never a bad entry that
/// verifies. A cache that cannot be read or written costs a compile, never a failed load, and so does a directory
/// that is no usable path at all (empty, or holding a NUL).
/// </para>
/// <para>
/// Reading is bounded by what the entry claims: the file's size is checked before it is opened (a FIFO, a device or
/// a socket reports 0 bytes, so none is ever opened: opening a FIFO would block until something wrote to it), then
/// the 84-byte header is read and checked, and the code is read only if the header's length is exactly what follows
/// it. A garbage or foreign file of any size costs 84 bytes read. A file swapped for a FIFO between that check and
/// the open is a writer the cache trusts anyway (see <see cref="WasmModuleOptions.CacheDirectory"/>).
/// </para>
/// </remarks>
internal sealed class CompileCache
{
    private const string Extension = ".cwasm";

    // The most bytes a .NET byte array holds (Array.MaxLength, which netstandard2.0 lacks): a longer entry cannot be ours.
    private const long MaxCodeBytes = 0x7FFFFFC7;

    /// <summary>Creates a cache over <paramref name="directory"/>; never throws: a path that is not usable makes every lookup <see cref="CacheResult.Unreadable"/>.</summary>
    public CompileCache(string directory)
    {
        try
        {
            Directory = Path.GetFullPath(directory);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            // "", a NUL, or (on .NET Framework) a character or form the platform refuses in paths.
            Directory = null;
        }
    }

    /// <summary>Gets the directory entries live in, or null when the path given is not a usable one.</summary>
    public string? Directory { get; }

    /// <summary>
    /// Returns <paramref name="source"/> compiled for <paramref name="engine"/>: from the cache when a verified
    /// entry exists for <paramref name="engineKey"/>, else compiled now and stored.
    /// </summary>
    /// <param name="engine">The engine to compile for.</param>
    /// <param name="engineKey">Its <see cref="Engines.EngineProfile.Key"/>.</param>
    /// <param name="name">The module's name, for Wasmtime's messages.</param>
    /// <param name="source">The module's binary encoding.</param>
    /// <param name="result">A hit, or why it missed.</param>
    /// <exception cref="WasmtimeException">The module does not compile.</exception>
    public Module GetOrCompile(Engine engine, string engineKey, string name, byte[] source, out CacheResult result)
    {
        if (Directory is null)
        {
            result = CacheResult.Unreadable;
            return Module.FromBytes(engine, name, source);
        }

        byte[] keyDigest = KeyDigest(engineKey, source);
        string path = PathFor(keyDigest);
        Module? cached = TryLoad(engine, name, path, keyDigest, out result);
        if (cached is not null)
        {
            return cached;
        }

        Module module = Module.FromBytes(engine, name, source);
        TryStore(path, keyDigest, module);
        return module;
    }

    /// <summary>Stores <paramref name="module"/>, compiled from <paramref name="source"/>, as the entry for them; best-effort. For tests that race writers.</summary>
    internal void Store(string engineKey, byte[] source, Module module)
    {
        if (Directory is null)
        {
            return;
        }

        byte[] keyDigest = KeyDigest(engineKey, source);
        TryStore(PathFor(keyDigest), keyDigest, module);
    }

    /// <summary>The entry's file for <paramref name="source"/> under <paramref name="engineKey"/>, for tests that damage it.</summary>
    internal string PathFor(string engineKey, byte[] source) => PathFor(KeyDigest(engineKey, source));

    private static byte[] KeyDigest(string engineKey, byte[] source)
    {
        string key = $"wasmsharedmemory-cache-v{CacheEntry.FormatVersion}\n{engineKey}\nsource-sha256={Hex(CacheEntry.Sha256(source, 0, source.Length))}";
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        return CacheEntry.Sha256(bytes, 0, bytes.Length);
    }

    private static Module? TryLoad(Engine engine, string name, string path, byte[] keyDigest, out CacheResult result)
    {
        byte[]? code;
        try
        {
            result = TryRead(path, keyDigest, out code);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            // Gone between the check and the read, locked by a writer, or not ours to read.
            result = ex is FileNotFoundException ? CacheResult.Absent : CacheResult.Unreadable;
            return null;
        }

        if (code is null)
        {
            return null;
        }

        try
        {
            Module module = Module.Deserialize(engine, name, code);
            result = CacheResult.Hit;
            return module;
        }
        catch (WasmtimeException)
        {
            // Verified bytes that this engine refuses: written by another build of Wasmtime or other settings.
            result = CacheResult.Incompatible;
            return null;
        }
    }

    /// <summary>Reads the verified code of the entry at <paramref name="path"/>, reading no more than its header unless the header checks out.</summary>
    /// <returns><see cref="CacheResult.Hit"/> with <paramref name="code"/> set, or why there is none.</returns>
    private static CacheResult TryRead(string path, byte[] keyDigest, out byte[]? code)
    {
        code = null;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return CacheResult.Absent;
        }

        // Checked before opening: a FIFO, device or socket reports 0 bytes, and opening a FIFO blocks.
        if (file.Length < CacheEntry.HeaderBytes || file.Length - CacheEntry.HeaderBytes > MaxCodeBytes)
        {
            return CacheResult.Rejected;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        byte[] header = new byte[CacheEntry.HeaderBytes];

        // The open file's own length: the entry may have been replaced since the check above.
        if (!ReadFully(stream, header) || !CacheEntry.TryVerifyHeader(header, keyDigest, stream.Length, out long codeBytes))
        {
            return CacheResult.Rejected;
        }

        byte[] bytes = new byte[codeBytes];
        if (!ReadFully(stream, bytes) || !CacheEntry.CodeMatches(header, bytes, 0, bytes.Length))
        {
            return CacheResult.Rejected;
        }

        code = bytes;
        return CacheResult.Hit;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="stream"/>; false if the file ends first.</summary>
    private static bool ReadFully(Stream stream, byte[] buffer)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>What reading or writing the cache may throw that only means the cache is unusable: a compile, never a failed load.</summary>
    private static bool IsCacheFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException;

    private void TryStore(string path, byte[] keyDigest, Module module)
    {
        string temporary = $"{path}.{Process.GetCurrentProcess().Id}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Directory!);
            File.WriteAllBytes(temporary, CacheEntry.Write(keyDigest, module.Serialize()));
            Publish(temporary, path);
        }
        catch (Exception ex) when (IsCacheFailure(ex) || ex is WasmtimeException)
        {
            // A read-only or full disk, or (Windows) a reader holding the entry open: the next load compiles again.
            TryDelete(temporary);
        }
    }

    /// <summary>Renames <paramref name="temporary"/> over <paramref name="path"/> in one step (rename(2) on Unix, MoveFileEx/ReplaceFile on Windows).</summary>
    private static void Publish(string temporary, string path)
    {
#if NET
        File.Move(temporary, path, overwrite: true);
#else
        try
        {
            File.Move(temporary, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Replace(temporary, path, destinationBackupFileName: null);
        }
#endif
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IsCacheFailure(ex))
        {
            // Left behind; it never has the entry's name, so nothing reads it.
        }
    }

    private string PathFor(byte[] keyDigest) => Path.Combine(Directory!, Hex(keyDigest) + Extension);

    private static string Hex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
