using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Wasmtime;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// Recognises what a failed instantiation was from Wasmtime's error message, which is all Wasmtime.Dotnet gives
/// (one <see cref="WasmtimeException"/> type, no error code): memory it could not have, a shared memory, a WASI import.
/// </summary>
/// <remarks>
/// Wording is no contract, so it is read under the same rule as the rest of the native boundary: only when the loaded
/// Wasmtime.Dotnet is the version this assembly pins (<see cref="NativeBoundary.IsPinned"/>), where the suite's
/// <c>LoadFailureTests</c> check every phrase. On any other version every message is <see cref="Kind.Unknown"/>, and
/// the load fails with the base <see cref="WasmSharedMemoryException"/> carrying Wasmtime's message, never a wrong kind.
/// </remarks>
internal static class WasmtimeErrorText
{
    // How the pinned Wasmtime words a memory, table or reservation it could not have (Linux, macOS and Windows errors).
    private static readonly string[] s_outOfMemory =
    {
        "exceeds memory limits", "exceeds table limits", "out of memory", "failed to reserve", "mmap failed",
        "Cannot allocate memory", "os error 12", "os error 8", "os error 1455",
    };

    /// <summary>What a failed instantiation was, as far as its message tells.</summary>
    public enum Kind
    {
        /// <summary>Not recognised, or not read because another Wasmtime.Dotnet version is loaded.</summary>
        Unknown,

        /// <summary>A memory or table needs more than the store's limits allow.</summary>
        OverLimits,

        /// <summary>The process has no address space left to reserve a linear memory.</summary>
        OutOfAddressSpace,

        /// <summary>The process could not allocate a memory or table of the declared size.</summary>
        OutOfMemory,

        /// <summary>An import Wasmtime could not satisfy, a WASI one or another, or a shared memory the host does not provide.</summary>
        Unsatisfiable,
    }

    /// <summary>Gets a value indicating whether messages are read at all: only on the pinned Wasmtime.Dotnet version.</summary>
    public static bool IsRead { get; } = NativeBoundary.IsPinned(NativeBoundary.LoadedVersion);

    /// <summary>Classifies a non-trap instantiation failure by its message: <see cref="Kind.Unknown"/> unless <see cref="IsRead"/>.</summary>
    public static Kind Classify(string message) => Classify(message, IsRead);

    /// <summary>Classifies as <see cref="Classify(string)"/> does, reading the message only when <paramref name="read"/>; the seam tests use to see another version.</summary>
    internal static Kind Classify(string message, bool read)
    {
        if (!read)
        {
            return Kind.Unknown;
        }

        if (!Array.Exists(s_outOfMemory, m => message.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return Kind.Unsatisfiable;
        }

        return message.IndexOf("limits", StringComparison.Ordinal) >= 0 ? Kind.OverLimits
            : message.IndexOf("reserve", StringComparison.Ordinal) >= 0 || message.IndexOf("mmap", StringComparison.Ordinal) >= 0 ? Kind.OutOfAddressSpace
            : Kind.OutOfMemory;
    }

    /// <summary>Gets a value indicating whether an <see cref="Kind.Unsatisfiable"/> message is about a shared memory (the module declares one the host cannot give it).</summary>
    public static bool NamesSharedMemory(string message) => message.IndexOf("shared memory", StringComparison.Ordinal) >= 0;

    /// <summary>The bytes an out-of-memory message (<see cref="Classify(string)"/> said so) says Wasmtime could not have ("failed to reserve 0x104000000 bytes", "minimum size of 100 pages"), or 0.</summary>
    public static long RequestedBytes(string message)
    {
        Match match = Regex.Match(message, @"(0x[0-9a-fA-F]+|\d+) (bytes|pages)");
        if (!match.Success)
        {
            return 0;
        }

        string number = match.Groups[1].Value;
        bool hex = number.StartsWith("0x", StringComparison.Ordinal);
        if (!long.TryParse(hex ? number.Substring(2) : number, hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return 0;
        }

        return match.Groups[2].Value == "pages" ? value * Memory.PageSize : value;
    }
}
