using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// The runtime imports Emscripten builds take from their JavaScript glue whatever the program does (heap growth, clocks,
/// aborts, 64-bit return halves, the time zone, embind's type registrations), defined by the host as the glue defines
/// them: the Emscripten part of <see cref="BuiltInImports"/>, looked up by name and signature so that each version's
/// shape of an import has its own entry.
/// </summary>
/// <remarks>
/// WASI's <c>fd_write</c>, <c>fd_close</c>, <c>fd_seek</c>, <c>environ_get</c> and <c>environ_sizes_get</c>, which
/// Emscripten imports from <c>wasi_snapshot_preview1</c>, come with the host's WASI. The imports only some JavaScript
/// APIs need (the file system's <c>__syscall_*</c>, embind's <c>_emval_*</c>, <c>emscripten_asm_const_*</c>) stay the
/// user's. A minified build renames every import (<c>a.a</c>, <c>a.b</c>, ...), so none of these can apply to it.
/// </remarks>
internal static class EmscriptenImports
{
    private const string Env = "env";
    private const string Toolchain = "Emscripten";
    private const string EmbindRegistration = "_embind_register_";
    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;
    private const ValueKind F64 = ValueKind.Float64;
    private const long PageSize = 65536;

    private static readonly long s_started = Stopwatch.GetTimestamp();
    private static readonly ConditionalWeakTable<HostCallScope, StrongBox<int>> s_tempRet0 = new();

    /// <summary>Gets every Emscripten runtime import the host defines.</summary>
    public static BuiltInImport[] All { get; } =
    {
        // Heap growth: the glue grows memory with headroom (as Emscripten's own glue does) and answers 1 if it grew.
        Scoped("emscripten_resize_heap", Sig("(i32 requestedSize) -> i32", I32, I32), ResizeHeap),
        Scoped("emscripten_get_heap_max", Sig("() -> i32", I32), HeapMax),

        // Large copies the compiled memcpy hands to the host (older builds return the destination).
        Scoped("emscripten_memcpy_big", Sig("(i32 dest, i32 src, i32 count) -> i32", I32, I32, I32, I32), Memcpy),
        Scoped("_emscripten_memcpy_js", Sig("(i32 dest, i32 src, i32 count) -> ()", null, I32, I32, I32), Memcpy),

        // Clocks: milliseconds since 1970, and a monotonic millisecond clock.
        Plain("emscripten_date_now", Sig("() -> f64", F64), (c, a, r) => r[0] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (DateTime.UtcNow.Ticks % 10_000 / 10_000.0)),
        Plain("emscripten_get_now", Sig("() -> f64", F64), (c, a, r) => r[0] = (Stopwatch.GetTimestamp() - s_started) * 1000.0 / Stopwatch.Frequency),
        Plain("_emscripten_get_now_is_monotonic", Sig("() -> i32", I32), (c, a, r) => r[0] = 1),

        // Aborts: each ends the call as a trap carrying what the program said.
        Scoped("__assert_fail", Sig("(i32 condition, i32 file, i32 line, i32 function) -> ()", null, I32, I32, I32, I32), AssertFail),
        Plain("abort", Sig("() -> ()", null), (c, a, r) => throw new WasmSharedMemoryException("Emscripten abort(): the program aborted.")),
        Plain("_abort_js", Sig("() -> ()", null), (c, a, r) => throw new WasmSharedMemoryException("Emscripten abort(): the program aborted.")),
        Plain("__handle_stack_overflow", Sig("(i32 requested) -> ()", null, I32), (c, a, r) =>
            throw new WasmSharedMemoryException($"Emscripten stack overflow: the stack pointer would move to 0x{(uint)a[0].AsInt32():X8}, outside the shadow stack.")),
        Plain("_emscripten_throw_longjmp", Sig("() -> ()", null), (c, a, r) =>
            throw new WasmSharedMemoryException("Emscripten longjmp: the program called longjmp, which needs the JavaScript glue's exception handling.")),

        // C++ exceptions without exception support: the throw becomes a trap that names the exception's type.
        Scoped("__cxa_allocate_exception", Sig("(i32 size) -> i32", I32, I32), AllocateException),
        Scoped("__cxa_throw", Sig("(i32 exception, i32 typeInfo, i32 destructor) -> ()", null, I32, I32, I32), CxaThrow),

        // Destructors registered to run at exit; a library module never exits, so they are never run.
        Plain("__cxa_atexit", Sig("(i32 function, i32 argument, i32 handle) -> i32", I32, I32, I32, I32), (c, a, r) => r[0] = 0),
        Plain("_emscripten_runtime_keepalive_clear", Sig("() -> ()", null), (c, a, r) => { }),

        // The high 32 bits of an i64 result, in builds without BigInt integration.
        Scoped("setTempRet0", Sig("(i32 value) -> ()", null, I32), (s, c, a, r) => TempRet0(s).Value = a[0].AsInt32()),
        Scoped("getTempRet0", Sig("() -> i32", I32), (s, c, a, r) => r[0] = TempRet0(s).Value),

        // Time: the host's process runs the module in UTC.
        Scoped("_tzset_js", Sig("(i32 timezone, i32 daylight, i32 standardName, i32 summerName) -> ()", null, I32, I32, I32, I32), TzSet),
        Scoped("_localtime_js", Sig("(i64 time, i32 tm) -> i32", I32, I64, I32), BreakDownTime),
        Scoped("_gmtime_js", Sig("(i64 time, i32 tm) -> i32", I32, I64, I32), BreakDownTime),
        Scoped("_mktime_js", Sig("(i32 tm) -> i64", I64, I32), MakeTime),
        Scoped("_timegm_js", Sig("(i32 tm) -> i64", I64, I32), MakeTime),
    };

    /// <summary>
    /// Returns the Emscripten import <paramref name="module"/>.<paramref name="name"/> with these types, else one of that
    /// name (whose signature the caller reports), or null; an embind type registration of any signature is accepted as a no-op.
    /// </summary>
    public static BuiltInImport? Find(string module, string name, FunctionImport import)
    {
        if (module != Env)
        {
            return null;
        }

        BuiltInImport[] named = All.Where(i => i.Name == name).ToArray();
        BuiltInImport? exact = named.FirstOrDefault(i => i.Serves(import));
        if (exact is not null || named.Length > 0)
        {
            return exact ?? named[0];
        }

        // Registrations only describe types and functions to the glue's JavaScript; calling the raw exports needs none of it.
        return name.StartsWith(EmbindRegistration, StringComparison.Ordinal) && import.Results.Count == 0
            ? new BuiltInImport(Env, name, Toolchain + " embind", new WasmSignature(import.Parameters.ToArray(), null, WasmTypes.Format(import.Parameters, import.Results)), (c, a, r) => { })
            : null;
    }

    private static WasmSignature Sig(string text, ValueKind? result, params ValueKind[] parameters) => new(parameters, result, text);

    private static BuiltInImport Plain(string name, WasmSignature signature, BuiltInImport.Body body) => new(Env, name, Toolchain, signature, body);

    private static BuiltInImport Scoped(string name, WasmSignature signature, BuiltInImport.ScopedBody body) => new(Env, name, Toolchain, signature, body);

    private static StrongBox<int> TempRet0(HostCallScope scope) => s_tempRet0.GetValue(scope, _ => new StrongBox<int>());

    private static GuestInstance Guest(HostCallScope scope) => scope.Guest
        ?? throw new WasmSharedMemoryException("An Emscripten runtime import was called by the module's start function, before its memory could be reached.");

    /// <summary>Grows to at least the requested size, with up to 20 % headroom (capped at 96 MiB more), less headroom on each refusal.</summary>
    private static void ResizeHeap(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        long old = guest.MemoryBytesInCall;
        long requested = unchecked((uint)arguments[0].AsInt32());
        long max = HeapMaxBytes(guest);
        results[0] = 0;
        if (requested <= old)
        {
            results[0] = 1;
            return;
        }

        if (requested > max)
        {
            guest.Grow((requested - old + PageSize - 1) / PageSize); // refused: records what stopped it for the out-of-memory message
            return;
        }

        for (int step = 1; step <= 4; step++)
        {
            long headroom = Math.Min((long)(old * (0.2 / step)), requested + (96L << 20) - old);
            long target = Math.Min(max, AlignUp(Math.Max(requested, old + headroom)));
            if (guest.Grow((target - old) / PageSize) >= 0)
            {
                results[0] = 1;
                return;
            }
        }
    }

    private static void HeapMax(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results) =>
        results[0] = unchecked((int)(uint)HeapMaxBytes(Guest(scope)));

    /// <summary>The most the heap can grow to: the least of the memory's declared maximum, MaxMemoryBytes and 4 GiB less a page (the glue's own cap).</summary>
    private static long HeapMaxBytes(GuestInstance guest) =>
        Math.Min((1L << 32) - PageSize, guest.Growth.ReachBytes / PageSize * PageSize);

    private static long AlignUp(long bytes) => (bytes + PageSize - 1) / PageSize * PageSize;

    private static unsafe void Memcpy(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        uint dest = unchecked((uint)arguments[0].AsInt32()), source = unchecked((uint)arguments[1].AsInt32()), count = unchecked((uint)arguments[2].AsInt32());
        byte* from = guest.Pointer(source, count), to = guest.Pointer(dest, count);
        Buffer.MemoryCopy(from, to, count, count); // handles overlap, as copyWithin does
        if (results.Length > 0)
        {
            results[0] = arguments[0].AsInt32();
        }
    }

    private static void AssertFail(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        throw new WasmSharedMemoryException(
            $"Emscripten assertion failed: \"{CString(guest, arguments[0])}\" at {CString(guest, arguments[1])}:{arguments[2].AsInt32()} in {CString(guest, arguments[3])}.");
    }

    private static void AllocateException(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        // The object is written before __cxa_throw traps, so it needs real memory: the module's own malloc.
        Function malloc = caller.GetFunction("malloc")
            ?? throw new WasmSharedMemoryException("Emscripten __cxa_allocate_exception: the module threw a C++ exception and exports no malloc to allocate it with.");
        results[0] = (int)malloc.Invoke(arguments[0].AsInt32())!;
    }

    private static unsafe void CxaThrow(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        uint typeInfo = unchecked((uint)arguments[1].AsInt32());
        string type = "an unknown type";
        try
        {
            // std::type_info: a vtable pointer, then the mangled name.
            uint name = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(guest.Pointer(typeInfo + 4, 4), 4));
            type = $"type {CString(guest, name)}";
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        throw new WasmSharedMemoryException(
            $"Emscripten C++ exception: the module threw an exception of {type} (object at 0x{(uint)arguments[0].AsInt32():X8}) and nothing in it caught it.");
    }

    private static unsafe void TzSet(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        WriteInt32(guest, arguments[0], 0); // seconds west of UTC
        WriteInt32(guest, arguments[1], 0); // no daylight saving
        foreach (int name in new[] { arguments[2].AsInt32(), arguments[3].AsInt32() })
        {
            new ReadOnlySpan<byte>(new byte[] { (byte)'U', (byte)'T', (byte)'C', 0 }).CopyTo(new Span<byte>(guest.Pointer(unchecked((uint)name), 4), 4));
        }
    }

    private static void BreakDownTime(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        WriteTm(Guest(scope), unchecked((uint)arguments[1].AsInt32()), arguments[0].AsInt64());
        results[0] = 0;
    }

    private static void MakeTime(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        GuestInstance guest = Guest(scope);
        uint address = unchecked((uint)arguments[0].AsInt32());
        int[] tm = Tm(guest, address).ToArray();
        try
        {
            // Out-of-range fields carry into the next, as mktime normalizes them.
            DateTime time = new DateTime(1900 + tm[5], 1, 1, 0, 0, 0, DateTimeKind.Utc)
                .AddMonths(tm[4]).AddDays(tm[3] - 1).AddHours(tm[2]).AddMinutes(tm[1]).AddSeconds(tm[0]);
            long seconds = new DateTimeOffset(time).ToUnixTimeSeconds();
            WriteTm(guest, address, seconds);
            results[0] = seconds;
        }
        catch (ArgumentOutOfRangeException)
        {
            results[0] = -1L;
        }
    }

    /// <summary>The first ten fields of a C <c>struct tm</c> (sec, min, hour, mday, mon, year, wday, yday, isdst, gmtoff), each an i32.</summary>
    private static unsafe Span<int> Tm(GuestInstance guest, uint address) => new(guest.Pointer(address, 40), 10);

    private static void WriteTm(GuestInstance guest, uint address, long seconds)
    {
        DateTime time = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        Span<int> tm = Tm(guest, address);
        tm[0] = time.Second;
        tm[1] = time.Minute;
        tm[2] = time.Hour;
        tm[3] = time.Day;
        tm[4] = time.Month - 1;
        tm[5] = time.Year - 1900;
        tm[6] = (int)time.DayOfWeek;
        tm[7] = time.DayOfYear - 1;
        tm[8] = 0;
        tm[9] = 0;
    }

    private static unsafe void WriteInt32(GuestInstance guest, ValueBox address, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(guest.Pointer(unchecked((uint)address.AsInt32()), 4), 4), value);

    private static string CString(GuestInstance guest, ValueBox address) => CString(guest, unchecked((uint)address.AsInt32()));

    /// <summary>Reads a NUL-terminated UTF-8 string of at most 1 KiB; describes one that does not lie inside memory instead.</summary>
    private static unsafe string CString(GuestInstance guest, uint address)
    {
        long available = Math.Min(1024, guest.MemoryBytesInCall - address);
        if (address == 0 || available <= 0)
        {
            return $"(no string at 0x{address:X8})";
        }

        var bytes = new ReadOnlySpan<byte>(guest.Pointer(address, (ulong)available), (int)available);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(bytes.Slice(0, end < 0 ? bytes.Length : end).ToArray());
    }
}
