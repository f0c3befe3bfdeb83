using System;
using System.Buffers.Binary;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// The imports toolchains add to the modules they build, which the host defines when the user does not:
/// one table that the binder, the tests and the README's list follow.
/// </summary>
internal static class BuiltInImports
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind F64 = ValueKind.Float64;

    private static long s_seeds;

    /// <summary>Gets every built-in import.</summary>
    public static BuiltInImport[] All { get; } =
    {
        // AssemblyScript's `throw`, failed assertions and runtime errors; the module executes unreachable after it anyway.
        new("env", "abort", "AssemblyScript", new WasmSignature(new[] { I32, I32, I32, I32 }, null, "(i32 message, i32 fileName, i32 line, i32 column) -> ()"), Abort),

        // AssemblyScript's trace(message, n, a0..a4): diagnostics with nowhere to go.
        new("env", "trace", "AssemblyScript", new WasmSignature(new[] { I32, I32, F64, F64, F64, F64, F64 }, null, "(i32 message, i32 n, f64 a0, f64 a1, f64 a2, f64 a3, f64 a4) -> ()"), Ignore),

        // AssemblyScript's seed for Math.random; its runtime uses the double's bits.
        new("env", "seed", "AssemblyScript", new WasmSignature(Array.Empty<ValueKind>(), F64, "() -> f64"), Seed),

        // Emscripten's -sALLOW_MEMORY_GROWTH tells JavaScript to refresh its views; linear memory never moves here.
        new("env", "emscripten_notify_memory_growth", "Emscripten", new WasmSignature(new[] { I32 }, null, "(i32 memoryIndex) -> ()"), Ignore),
    };

    /// <summary>Returns the built-in import of that name, or null.</summary>
    public static BuiltInImport? Find(string module, string name) => All.FirstOrDefault(i => i.Module == module && i.Name == name);

    /// <summary>Returns the built-in import that serves <paramref name="import"/>: one of its name and types where a toolchain has several shapes of it, else one of its name, or null.</summary>
    public static BuiltInImport? Find(FunctionImport import)
    {
        BuiltInImport? named = Find(import.ModuleName, import.Name);
        if (named is not null && named.Serves(import))
        {
            return named;
        }

        BuiltInImport? emscripten = EmscriptenImports.Find(import.ModuleName, import.Name, import);
        return emscripten is not null && (emscripten.Serves(import) || named is null) ? emscripten : named;
    }

    /// <summary>
    /// Decodes an AssemblyScript string: UTF-16LE code units at <paramref name="address"/>, their byte length the u32
    /// just before it; null for address 0. A string that does not lie inside <paramref name="memory"/> is described instead of read.
    /// </summary>
    internal static string? ReadAssemblyScriptString(Memory? memory, uint address)
    {
        if (address == 0)
        {
            return null;
        }

        try
        {
            if (memory is null || address < 4)
            {
                throw new ArgumentOutOfRangeException(nameof(address));
            }

            uint bytes = BinaryPrimitives.ReadUInt32LittleEndian(memory.GetSpan<byte>(address - 4L, 4));
            return WtfSixteen(memory.GetSpan<byte>(address, checked((int)(bytes & ~1u))));
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException)
        {
            return $"(unreadable string at 0x{address:X8})";
        }
    }

    /// <summary>
    /// The code units of a WTF-16 string as they are: AssemblyScript strings, like JavaScript's, may hold lone surrogates,
    /// which a UTF-16 decoder would replace with U+FFFD.
    /// </summary>
    private static string WtfSixteen(ReadOnlySpan<byte> littleEndian)
    {
        var units = new char[littleEndian.Length / 2];
        for (int i = 0; i < units.Length; i++)
        {
            units[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(littleEndian.Slice(i * 2, 2));
        }

        return new string(units);
    }

    /// <summary>
    /// Throws the abort as a <see cref="WasmSharedMemoryException"/>. The strings are read through <paramref name="caller"/>, not
    /// a <see cref="GuestMemory"/>: top-level AssemblyScript code runs in the start function, before the instance exists.
    /// </summary>
    private static void Abort(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        Memory? memory = caller.GetMemory("memory");
        string message = ReadAssemblyScriptString(memory, unchecked((uint)arguments[0].AsInt32())) ?? "(no message)";
        string file = ReadAssemblyScriptString(memory, unchecked((uint)arguments[1].AsInt32())) ?? "(no file)";
        throw new WasmSharedMemoryException($"AssemblyScript abort: \"{message}\" at {file}:{arguments[2].AsInt32()}:{arguments[3].AsInt32()}.");
    }

    private static void Seed(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results) =>
        results[0] = (double)(DateTime.UtcNow.Ticks ^ unchecked(Interlocked.Increment(ref s_seeds) * (long)0x9E3779B97F4A7C15));

    private static void Ignore(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
    }
}
