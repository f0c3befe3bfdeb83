using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Builds small WAT modules that imitate the kernel module's ABI, each with one piece swapped for a hostile
/// or broken one, and loads them through the same path as the real builds.
/// </summary>
internal static class TestModules
{
    /// <summary>A bump allocator over one 64 KiB page that never frees (the same one <see cref="HostModules"/> uses).</summary>
    public const string BumpAlloc = HostModules.Bump;

    /// <summary>The allocator ABI version the kernel module speaks, as WAT.</summary>
    public static readonly string AbiVersionExport = $$"""(func (export "wsm_abi_version") (result i32) (i32.const {{KernelAbi.Version}}))""";

    public const string Trap = "unreachable";

    /// <summary>A scalar f32 multiply, so tests can tell a working module from a broken one.</summary>
    public const string MultiplyF32 = """
        (local $i i32)
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (f32.store
              (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
              (f32.mul
                (f32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                (f32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        """;

    /// <summary>
    /// A module with the kernel ABI whose allocator works (a bump allocator that grows memory) until the call
    /// a test picks: the exported mutable globals <c>fail_alloc_at</c>, <c>trap_alloc_at</c> and
    /// <c>trap_free_at</c> (0 = never) make the k-th <c>wsm_alloc</c> return 0 or trap, or the k-th
    /// <c>wsm_free</c> trap. It counts its calls (<c>alloc_calls</c>, <c>free_calls</c>) and keeps its own
    /// ledger of blocks handed out and not freed (<c>outstanding</c>), and poisons every block it frees, so a
    /// host that frees the wrong block or size clobbers a live buffer where the test sees it.
    /// </summary>
    public static readonly string FaultInjection = $$"""
        (module
          (memory (export "memory") 1)
          (global $next (mut i32) (i32.const 1024))
          (global $alloc_calls (export "alloc_calls") (mut i32) (i32.const 0))
          (global $free_calls (export "free_calls") (mut i32) (i32.const 0))
          (global $outstanding (export "outstanding") (mut i32) (i32.const 0))
          (global $fail_alloc_at (export "fail_alloc_at") (mut i32) (i32.const 0))
          (global $trap_alloc_at (export "trap_alloc_at") (mut i32) (i32.const 0))
          (global $trap_free_at (export "trap_free_at") (mut i32) (i32.const 0))
          {{AbiVersionExport}}
          (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32) (local $p i32) (local $end i32)
            (global.set $alloc_calls (i32.add (global.get $alloc_calls) (i32.const 1)))
            (if (i32.eq (global.get $alloc_calls) (global.get $trap_alloc_at)) (then unreachable))
            (if (i32.eq (global.get $alloc_calls) (global.get $fail_alloc_at)) (then (return (i32.const 0))))
            (local.set $p (global.get $next))
            (local.set $end (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
            (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
              (then
                (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16)) (memory.size))) (i32.const -1))
                  (then (return (i32.const 0))))))
            (global.set $next (local.get $end))
            (global.set $outstanding (i32.add (global.get $outstanding) (i32.const 1)))
            (local.get $p))
          (func (export "wsm_free") (param $ptr i32) (param $size i32) (param $align i32)
            (global.set $free_calls (i32.add (global.get $free_calls) (i32.const 1)))
            (if (i32.eq (global.get $free_calls) (global.get $trap_free_at)) (then unreachable))
            (memory.fill (local.get $ptr) (i32.const 0xA5) (local.get $size))
            (global.set $outstanding (i32.sub (global.get $outstanding) (i32.const 1))))
          (func (export "multiply_f32") (param $n i32) (param $dst i32) (param $a i32) (param $b i32)
            {{MultiplyF32}})
        )
        """;

    /// <summary>
    /// A module with the kernel ABI whose allocator returns whatever the test last stored in the exported
    /// mutable global <c>result</c>: any address at all, so the host's checks of it can be driven through
    /// every boundary. Its free does nothing; both count their calls (<c>alloc_calls</c>, <c>free_calls</c>).
    /// </summary>
    public static readonly string ScriptedAllocator = $$"""
        (module
          (memory (export "memory") 1)
          (global $result (export "result") (mut i32) (i32.const 0))
          (global $alloc_calls (export "alloc_calls") (mut i32) (i32.const 0))
          (global $free_calls (export "free_calls") (mut i32) (i32.const 0))
          {{AbiVersionExport}}
          (func (export "wsm_alloc") (param i32 i32) (result i32)
            (global.set $alloc_calls (i32.add (global.get $alloc_calls) (i32.const 1)))
            (global.get $result))
          (func (export "wsm_free") (param i32 i32 i32)
            (global.set $free_calls (i32.add (global.get $free_calls) (i32.const 1))))
          (func (export "multiply_f32") (param i32 i32 i32 i32))
        )
        """;

    /// <summary>Returns the text of a module with the kernel ABI and the given bodies; it exports one kernel, <c>multiply_f32</c>, since kernels are bound when first called.</summary>
    public static string Text(
        string alloc = BumpAlloc,
        string free = "",
        string multiplyF32 = MultiplyF32,
        int abiVersion = Internals.Kernels.KernelAbi.Version,
        string memory = """(memory (export "memory") 1)""",
        string multiplyF32Params = "(param $n i32) (param $dst i32) (param $a i32) (param $b i32)") => $$"""
        (module
          {{memory}}
          (global $next (mut i32) (i32.const 1024))
          (global $allocs (export "allocs") (mut i32) (i32.const 0))
          (func (export "wsm_abi_version") (result i32) (i32.const {{abiVersion}}))
          (func $alloc (param $size i32) (param $align i32) (result i32)
            {{alloc}})
          (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32)
            (global.set $allocs (i32.add (global.get $allocs) (i32.const 1)))
            (call $alloc (local.get $size) (local.get $align)))
          (func (export "wsm_free") (param $ptr i32) (param $size i32) (param $align i32)
            {{free}})
          (func (export "multiply_f32") {{multiplyF32Params}}
            {{multiplyF32}})
        )
        """;

    /// <summary>Compiles <paramref name="wat"/> on the shared engine and loads it as a kernel module.</summary>
    public static KernelModule LoadText(string wat, SharedMemoryOptions? options = null)
    {
        Engine engine = ModuleCatalog.Shared.Engine;
        using Module module = Module.FromText(engine, "test", wat);
        return KernelModule.Create(engine, module, ModuleVariant.Scalar, options);
    }

    /// <summary>Loads a module built by <see cref="Text"/> with the given bodies.</summary>
    public static KernelModule Load(string alloc = BumpAlloc, string free = "", string multiplyF32 = MultiplyF32) =>
        LoadText(Text(alloc, free, multiplyF32));

    /// <summary>Reads how many times the test module's allocator ran.</summary>
    public static int AllocCalls(KernelModule module) => (int)module.Guest.Instance.GetGlobal("allocs")!.GetValue()!;
}
