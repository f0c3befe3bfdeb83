using System;
using Wasmtime;

namespace CorpusBench;

/// <summary>What a raw-Wasmtime user writes to call a wasm-bindgen export that takes a byte slice and returns a Vec&lt;u8&gt;.</summary>
internal sealed class RawBindgen : IDisposable
{
    private readonly RawInstance _raw;
    private readonly Func<int, int> _malloc;
    private readonly Action<int, int> _free;
    private readonly Func<int, int>? _stack;

    /// <param name="define">Defines the module's imports on the linker, by hand: wasm-bindgen's intrinsics included.</param>
    public RawBindgen(string path, Action<Linker> define)
    {
        _raw = new RawInstance(path, "memory", define);
        Instance = _raw.Instance;
        Memory = _raw.Memory;
        // Older builds: malloc(size), free(ptr, size); later ones take an alignment too.
        Func<int, int, int>? malloc2 = Instance.GetFunction<int, int>("__wbindgen_malloc") is null ? Instance.GetFunction<int, int, int>("__wbindgen_malloc") : null;
        _malloc = Instance.GetFunction<int, int>("__wbindgen_malloc") ?? (size => malloc2!(size, 1));
        Action<int, int, int>? free3 = Instance.GetAction<int, int>("__wbindgen_free") is null ? Instance.GetAction<int, int, int>("__wbindgen_free") : null;
        _free = Instance.GetAction<int, int>("__wbindgen_free") ?? ((pointer, size) => free3!(pointer, size, 1));
        _stack = Instance.GetFunction<int, int>("__wbindgen_add_to_stack_pointer");
    }

    public Instance Instance { get; }

    public Memory Memory { get; }

    /// <summary>passArray8ToWasm0: the bytes copied into a block the guest then owns.</summary>
    public int Pass(ReadOnlySpan<byte> bytes)
    {
        int address = _malloc(Math.Max(1, bytes.Length));
        bytes.CopyTo(Memory.GetSpan<byte>(address, bytes.Length));
        return address;
    }

    /// <summary>Calls <paramref name="call"/>(returnArea, ptr, len) and copies out and frees the Vec&lt;u8&gt; it leaves in the area.</summary>
    public byte[] CallVec(Action<int, int, int> call, ReadOnlySpan<byte> input)
    {
        // Builds with __wbindgen_add_to_stack_pointer reserve the area on the guest's stack; older ones pass a fixed 8.
        int area = _stack is null ? 8 : _stack(-16);
        int pointer = Pass(input);
        call(area, pointer, input.Length);
        int vec = Memory.ReadInt32(area), length = Memory.ReadInt32(area + 4);
        byte[] result = Memory.GetSpan<byte>(vec, length).ToArray();
        _free(vec, length);
        if (_stack is not null)
        {
            _stack(16);
        }

        return result;
    }

    public void Dispose() => _raw.Dispose();
}
