namespace WasmSharedMemory.Tests;

/// <summary>WAT building blocks for <see cref="WasmHost"/> tests: allocators of each contract and small exports.</summary>
internal static class HostModules
{
    /// <summary>A bump allocator body over <c>$size</c>: 16-byte aligned, never reuses memory.</summary>
    public const string Bump = """
        (local $p i32)
        (local.set $p (global.get $next))
        (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
        (local.get $p)
        """;

    /// <summary>Counts frees in the exported global <c>frees</c>.</summary>
    public const string CountFree = "(global.set $frees (i32.add (global.get $frees) (i32.const 1)))";

    public static readonly string CMalloc = $$"""
        (func (export "malloc") (param $size i32) (result i32) {{Bump}})
        (func (export "free") (param i32) {{CountFree}})
        """;

    public static readonly string WasmBindgen = $$"""
        (func (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32) {{Bump}})
        (func (export "__wbindgen_free") (param i32 i32 i32) {{CountFree}})
        """;

    public static readonly string WasmSharedMemory = $$"""
        {{TestModules.AbiVersionExport}}
        (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32) {{Bump}})
        (func (export "wsm_free") (param i32 i32 i32) {{CountFree}})
        """;

    /// <summary>
    /// AssemblyScript's runtime exports, imitated: <c>__new</c> records the class id it got in <c>last_class</c>,
    /// <c>__pin</c> counts pins in <c>pins</c>, <c>__unpin</c> counts frees.
    /// </summary>
    public static readonly string AssemblyScript = $$"""
        (global $last_class (export "last_class") (mut i32) (i32.const -1))
        (global $pins (export "pins") (mut i32) (i32.const 0))
        (func (export "__new") (param $size i32) (param $class i32) (result i32) (local $p i32)
          (global.set $last_class (local.get $class))
          (local.set $p (global.get $next))
          (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
          (local.get $p))
        (func (export "__pin") (param $ptr i32) (result i32)
          (global.set $pins (i32.add (global.get $pins) (i32.const 1)))
          (local.get $ptr))
        (func (export "__unpin") (param i32) {{CountFree}})
        """;

    /// <summary><c>sum(ptr, n) -> f32</c>: adds <c>n</c> floats at <c>ptr</c>.</summary>
    public const string Sum = """
        (func (export "sum") (param $ptr i32) (param $n i32) (result f32) (local $total f32)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $total (f32.add (local.get $total) (f32.load (local.get $ptr))))
              (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
          (local.get $total))
        """;

    /// <summary><c>scale(ptr, n, factor)</c>: multiplies <c>n</c> floats at <c>ptr</c> in place.</summary>
    public const string Scale = """
        (func (export "scale") (param $ptr i32) (param $n i32) (param $factor f32)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (f32.store (local.get $ptr) (f32.mul (f32.load (local.get $ptr)) (local.get $factor)))
              (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next))))
        """;

    /// <summary><c>spin()</c>: loops forever, counting iterations in the exported global <c>spins</c>.</summary>
    public const string Spin = """
        (global $spins (export "spins") (mut i64) (i64.const 0))
        (func (export "spin")
          (loop $forever
            (global.set $spins (i64.add (global.get $spins) (i64.const 1)))
            (br $forever)))
        """;

    /// <summary><c>grow_forever() -> i32</c>: grows memory a page at a time until growth fails; returns the page count.</summary>
    public const string GrowForever = """
        (func (export "grow_forever") (result i32)
          (block $full
            (loop $again
              (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
              (br $again)))
          (memory.size))
        """;

    /// <summary><c>bump(ptr)</c>: a non-atomic read-modify-write of the i32 at <c>ptr</c>, so concurrent calls would lose updates.</summary>
    public const string Bump32 = """
        (func (export "bump") (param $ptr i32)
          (i32.store (local.get $ptr) (i32.add (i32.load (local.get $ptr)) (i32.const 1))))
        """;

    public const string Trap = """(func (export "trap") unreachable)""";

    /// <summary>A module with one memory (1 page, growable), the given allocator and other exports.</summary>
    public static string Module(string allocator, string exports = "", string memory = """(memory (export "memory") 1)""", string imports = "") => $$"""
        (module
          {{imports}}
          {{memory}}
          (global $next (mut i32) (i32.const 1024))
          (global $frees (export "frees") (mut i32) (i32.const 0))
          {{allocator}}
          {{exports}}
        )
        """;
}
