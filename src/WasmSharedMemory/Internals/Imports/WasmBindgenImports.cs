using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// wasm-bindgen's intrinsic imports (the <c>__wbindgen_*</c> functions its runtime defines in the package's
/// JavaScript, whichever crate uses them), defined by the host for whatever import module name the build uses
/// (<c>__wbindgen_placeholder__</c>, <c>wbg</c>, <c>./&lt;crate&gt;_bg.js</c>), over a .NET-side object heap
/// (<see cref="WasmBindgenObjects"/>). A crate's own imports (<c>__wbg_…</c>, the JavaScript APIs it calls) are the
/// user's to define. Like <see cref="BuiltInImports"/>, each serves only an import of exactly its signature that the
/// user did not define; where wasm-bindgen changed an intrinsic's signature between versions, both are here.
/// </summary>
/// <remarks>
/// The table follows wasm-bindgen's <c>crates/cli-support/src/intrinsic.rs</c> and the JavaScript its CLI writes for
/// each, for builds without reference types (values held by index). Builds with reference types pass
/// <c>externref</c>s, which these do not take; such a module's imports are reported as missing.
/// </remarks>
internal static class WasmBindgenImports
{
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private const ValueKind F64 = ValueKind.Float64;

    private static readonly ConditionalWeakTable<HostCallScope, WasmBindgenObjects> s_heaps = new();

    /// <summary>Gets every intrinsic the host defines.</summary>
    public static WasmBindgenImport[] All { get; } =
    {
        Predicate("__wbindgen_is_undefined", v => v is JsUndefined),
        Predicate("__wbindgen_is_null", v => v is null),
        Predicate("__wbindgen_is_object", v => v is JsJson or JsError or JsModuleObject),
        Predicate("__wbindgen_is_function", _ => false),
        Predicate("__wbindgen_is_array", v => v is JsJson { IsArray: true }),
        Predicate("__wbindgen_is_symbol", _ => false),
        Predicate("__wbindgen_is_string", v => v is string),
        Predicate("__wbindgen_is_bigint", v => v is BigInteger),
        Predicate("__wbindgen_is_falsy", IsFalsy),
        new("__wbindgen_jsval_eq", Sig(I32, I32, I32), (s, a, r) => r[0] = StrictEquals(Heap(s).Get(a[0].AsInt32()), Heap(s).Get(a[1].AsInt32())) ? 1 : 0),
        new("__wbindgen_jsval_loose_eq", Sig(I32, I32, I32), (s, a, r) => r[0] = LooseEquals(Heap(s).Get(a[0].AsInt32()), Heap(s).Get(a[1].AsInt32())) ? 1 : 0),
        new("__wbindgen_typeof", Sig(I32, I32), (s, a, r) => r[0] = Heap(s).Add(TypeOf(Heap(s).Get(a[0].AsInt32())))),
        new("__wbindgen_as_number", Sig(I32, F64), (s, a, r) => r[0] = ToNumber(Heap(s).Get(a[0].AsInt32()))),
        new("__wbindgen_object_clone_ref", Sig(I32, I32), (s, a, r) => r[0] = Heap(s).Add(Heap(s).Get(a[0].AsInt32()))),
        new("__wbindgen_object_drop_ref", Sig(I32, null), (s, a, r) => Heap(s).Drop(a[0].AsInt32())),
        new("__wbindgen_number_new", Sig(F64, I32), (s, a, r) => r[0] = Heap(s).Add(a[0].AsDouble())),

        // Option<f64>: since 0.2.80 written to a return area (a flag at 0, the value at 8); before, returned with a flag byte set on failure.
        new("__wbindgen_number_get", Sig(I32, I32, null), (s, a, r) => WriteOptionF64(s, a[0].AsInt32(), Heap(s).Get(a[1].AsInt32()) as double?)),
        new("__wbindgen_number_get", Sig(I32, I32, F64), (s, a, r) => r[0] = NumberGetOld(s, a[0].AsInt32(), a[1].AsInt32())),
        new("__wbindgen_boolean_get", Sig(I32, I32), (s, a, r) => r[0] = Heap(s).Get(a[0].AsInt32()) is bool b ? (b ? 1 : 0) : 2),
        new("__wbindgen_bigint_from_i64", Sig(I64, I32), (s, a, r) => r[0] = Heap(s).Add(new BigInteger(a[0].AsInt64()))),
        new("__wbindgen_bigint_from_u64", Sig(I64, I32), (s, a, r) => r[0] = Heap(s).Add(new BigInteger(unchecked((ulong)a[0].AsInt64())))),
        new("__wbindgen_bigint_from_i128", Sig(I64, I64, I32), (s, a, r) => r[0] = Heap(s).Add((new BigInteger(a[0].AsInt64()) << 64) + new BigInteger(unchecked((ulong)a[1].AsInt64())))),
        new("__wbindgen_bigint_from_u128", Sig(I64, I64, I32), (s, a, r) => r[0] = Heap(s).Add((new BigInteger(unchecked((ulong)a[0].AsInt64())) << 64) + new BigInteger(unchecked((ulong)a[1].AsInt64())))),
        new("__wbindgen_string_new", Sig(I32, I32, I32), (s, a, r) => r[0] = Heap(s).Add(ReadString(s, a[0].AsInt32(), a[1].AsInt32()))),

        // Option<String>: since 0.2.80 written to a return area as (ptr, len), ptr 0 for None; before, returned with the length written through a pointer.
        new("__wbindgen_string_get", Sig(I32, I32, null), (s, a, r) => WriteOptionString(s, a[0].AsInt32(), Heap(s).Get(a[1].AsInt32()) as string)),
        new("__wbindgen_string_get", Sig(I32, I32, I32), (s, a, r) => r[0] = ReturnStringOld(s, Heap(s).Get(a[0].AsInt32()) as string, a[1].AsInt32())),
        new("__wbindgen_error_new", Sig(I32, I32, I32), (s, a, r) => r[0] = Heap(s).Add(new JsError(ReadString(s, a[0].AsInt32(), a[1].AsInt32())))),
        new("__wbindgen_throw", Sig(I32, I32, null), (s, a, r) => throw new WasmSharedMemoryException($"wasm-bindgen throw: \"{ReadString(s, a[0].AsInt32(), a[1].AsInt32())}\".")),
        new("__wbindgen_rethrow", Sig(I32, null), (s, a, r) => throw new WasmSharedMemoryException($"wasm-bindgen rethrow: {Describe(Heap(s).Take(a[0].AsInt32()))}.")),
        new("__wbindgen_memory", Sig(I32), (s, a, r) => r[0] = Heap(s).Add(new JsModuleObject("WebAssembly.Memory"))),
        new("__wbindgen_module", Sig(I32), (s, a, r) => r[0] = Heap(s).Add(new JsModuleObject("WebAssembly.Module"))),
        new("__wbindgen_exports", Sig(I32), (s, a, r) => r[0] = Heap(s).Add(new JsModuleObject("exports"))),
        new("__wbindgen_function_table", Sig(I32), (s, a, r) => r[0] = Heap(s).Add(new JsModuleObject("WebAssembly.Table"))),
        new("__wbindgen_debug_string", Sig(I32, I32, null), (s, a, r) => WriteOptionString(s, a[0].AsInt32(), Describe(Heap(s).Get(a[1].AsInt32())))),
        new("__wbindgen_json_parse", Sig(I32, I32, I32), (s, a, r) => r[0] = Heap(s).Add(ParseJson(ReadString(s, a[0].AsInt32(), a[1].AsInt32())))),
        new("__wbindgen_json_serialize", Sig(I32, I32, null), (s, a, r) => WriteOptionString(s, a[0].AsInt32(), ToJson(Heap(s).Get(a[1].AsInt32())))),
        new("__wbindgen_json_serialize", Sig(I32, I32, I32), (s, a, r) => r[0] = ReturnStringOld(s, ToJson(Heap(s).Get(a[0].AsInt32())), a[1].AsInt32())),
        new("__wbindgen_externref_heap_live_count", Sig(I32), (s, a, r) => r[0] = Heap(s).LiveCount),

        // Run only by wasm-bindgen's CLI, which interprets them at build time; a processed module never calls them.
        new("__wbindgen_describe", Sig(I32, null), (s, a, r) => throw NotProcessed("__wbindgen_describe")),
        new("__wbindgen_describe_closure", Sig(I32, I32, I32, I32), (s, a, r) => throw NotProcessed("__wbindgen_describe_closure")),
    };

    /// <summary>Gets whether <paramref name="module"/> is an import module name wasm-bindgen gives its imports.</summary>
    public static bool IsImportModule(string module) =>
        module is "__wbindgen_placeholder__" or "wbg"
        || module.EndsWith("_bg.js", StringComparison.Ordinal) || module.EndsWith("_bg", StringComparison.Ordinal);

    /// <summary>Returns the intrinsic that serves <paramref name="import"/> exactly, or null.</summary>
    public static WasmBindgenImport? Find(FunctionImport import) =>
        !IsImportModule(import.ModuleName) ? null
        : All.FirstOrDefault(i => i.Name == import.Name && i.Signature.Is(import.Parameters, import.Results));

    /// <summary>Returns the signatures wasm-bindgen's intrinsic of that name has, for a message, or null when there is none.</summary>
    public static string? Describe(string name)
    {
        string[] signatures = All.Where(i => i.Name == name).Select(i => i.Signature.Text).ToArray();
        return signatures.Length == 0 ? null : string.Join(" or ", signatures);
    }

    /// <summary>Gets the object heap of the instance <paramref name="scope"/> serves.</summary>
    internal static WasmBindgenObjects Heap(HostCallScope scope) => s_heaps.GetValue(scope, _ => new WasmBindgenObjects());

    private static WasmBindgenImport Predicate(string name, Func<object?, bool> test) =>
        new(name, Sig(I32, I32), (s, a, r) => r[0] = test(Heap(s).Get(a[0].AsInt32())) ? 1 : 0);

    /// <summary>A signature of the parameter kinds, then the result kind (null: none).</summary>
    private static WasmSignature Sig(params ValueKind?[] kinds)
    {
        ValueKind[] parameters = kinds.Take(kinds.Length - 1).Select(k => k!.Value).ToArray();
        ValueKind? result = kinds[kinds.Length - 1];
        return new WasmSignature(parameters, result, WasmTypes.Format(parameters, result is { } r ? new[] { r } : Array.Empty<ValueKind>()));
    }

    private static WasmSignature Sig(ValueKind result) => new(Array.Empty<ValueKind>(), result, WasmTypes.Format(Array.Empty<ValueKind>(), new[] { result }));

    private static string ReadString(HostCallScope scope, int address, int length) => scope.Memory.ReadUtf8(unchecked((uint)address), length);

    /// <summary>Copies <paramref name="value"/> into a block of the guest's own allocator, which the guest then owns, as <c>passStringToWasm0</c> does.</summary>
    private static (int Address, int Length) PassString(HostCallScope scope, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        GuestInstance guest = scope.Guest ?? throw new InvalidOperationException("A wasm-bindgen intrinsic that returns a string was called by the module's start function, before its allocator could be used.");
        WasmBuffer<byte> block = guest.Heap.Allocate<byte>(bytes.Length);
        bytes.CopyTo(block.Span);
        return (unchecked((int)block.Release()), bytes.Length);
    }

    private static void WriteInt32(HostCallScope scope, int address, int offset, int value) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<int, byte>(ref scope.Memory.GetSpan<int>(unchecked((uint)(address + offset)), 1)[0]), value);

    private static void WriteOptionF64(HostCallScope scope, int returnArea, double? value)
    {
        scope.Memory.GetSpan<double>(unchecked((uint)(returnArea + 8)), 1)[0] = value ?? 0;
        WriteInt32(scope, returnArea, 0, value is null ? 0 : 1);
    }

    private static double NumberGetOld(HostCallScope scope, int index, int invalid)
    {
        if (Heap(scope).Get(index) is double number)
        {
            return number;
        }

        scope.Memory.GetSpan<byte>(unchecked((uint)invalid), 1)[0] = 1;
        return 0;
    }

    private static void WriteOptionString(HostCallScope scope, int returnArea, string? value)
    {
        (int address, int length) = value is null ? (0, 0) : PassString(scope, value);
        WriteInt32(scope, returnArea, 4, length);
        WriteInt32(scope, returnArea, 0, address);
    }

    private static int ReturnStringOld(HostCallScope scope, string? value, int lengthPointer)
    {
        if (value is null)
        {
            return 0;
        }

        (int address, int length) = PassString(scope, value);
        WriteInt32(scope, lengthPointer, 0, length);
        return address;
    }

    private static WasmSharedMemoryException NotProcessed(string name) =>
        new($"The module called {name}, which only wasm-bindgen's CLI runs, while it builds the package; this module was not processed by wasm-bindgen.");

    private static bool IsFalsy(object? value) => value switch
    {
        null or JsUndefined => true,
        bool b => !b,
        double d => d == 0 || double.IsNaN(d),
        string s => s.Length == 0,
        BigInteger i => i.IsZero,
        _ => false,
    };

    private static bool StrictEquals(object? left, object? right) => (left, right) switch
    {
        (double a, double b) => a == b,
        (string a, string b) => a == b,
        (bool a, bool b) => a == b,
        (BigInteger a, BigInteger b) => a == b,
        _ => ReferenceEquals(left, right),
    };

    private static bool LooseEquals(object? left, object? right) =>
        StrictEquals(left, right) || (left is null or JsUndefined && right is null or JsUndefined)
        || (left is double or string or bool && right is double or string or bool && ToNumber(left) == ToNumber(right));

    private static string TypeOf(object? value) => value switch
    {
        JsUndefined => "undefined",
        bool => "boolean",
        double => "number",
        string => "string",
        BigInteger => "bigint",
        _ => "object",
    };

    private static double ToNumber(object? value) => value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        null => 0,
        string s when s.Trim().Length == 0 => 0,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => double.NaN,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        double d => FormatNumber(d),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "object",
    };

    private static object? ParseJson(string text)
    {
        string trimmed = text.Trim();
        return trimmed switch
        {
            "null" => null,
            "true" => true,
            "false" => false,
            _ when trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal) => new JsJson(trimmed),
            _ when trimmed.StartsWith("\"", StringComparison.Ordinal) => Unquote(trimmed),
            _ when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) => number,
            _ => throw new WasmSharedMemoryException($"wasm-bindgen: __wbindgen_json_parse was given text that is not JSON: {Quote(trimmed.Length > 64 ? trimmed.Substring(0, 64) + "…" : trimmed)}."),
        };
    }

    private static string ToJson(object? value) => value switch
    {
        null or JsUndefined => "null",
        bool b => b ? "true" : "false",
        double d => double.IsNaN(d) || double.IsInfinity(d) ? "null" : FormatNumber(d),
        string s => Quote(s),
        JsJson json => json.Text,
        BigInteger => throw new WasmSharedMemoryException("wasm-bindgen: __wbindgen_json_serialize cannot serialize a BigInt (JSON.stringify throws on one too)."),
        _ => "{}",
    };

    private static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    private static string Unquote(string json)
    {
        var text = new StringBuilder(json.Length);
        for (int i = 1; i < json.Length - 1; i++)
        {
            char c = json[i];
            if (c != '\\' || i + 1 >= json.Length - 1)
            {
                text.Append(c);
                continue;
            }

            char escape = json[++i];
            switch (escape)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u' when i + 4 < json.Length:
                    text.Append((char)int.Parse(json.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: text.Append(escape); break;
            }
        }

        return text.ToString();
    }
}

/// <summary>One wasm-bindgen intrinsic: its name, the signature it serves, and what it does over the instance's object heap.</summary>
internal sealed class WasmBindgenImport : IHostFunction
{
    private readonly Body _body;

    public WasmBindgenImport(string name, WasmSignature signature, Body body) => (Name, Signature, _body) = (name, signature, body);

    /// <summary>What the function does for one call.</summary>
    public delegate void Body(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);

    public string Name { get; }

    public WasmSignature Signature { get; }

    public void Invoke(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results) => _body(scope, arguments, results);

    public override string ToString() => $"{Name} {Signature.Text} (wasm-bindgen)";
}
