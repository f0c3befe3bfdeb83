namespace WasmSharedMemory.Tests.Bindings;

/// <summary>WAT modules for the generated bindings' tests: one export per kind of parameter the generator marshals.</summary>
internal static class BindingModules
{
    /// <summary>
    /// <c>load</c> imitates <c>stbi_load_from_memory</c>: it writes the length to <c>*w</c>, twice the wanted channels
    /// to <c>*h</c> and 3 to <c>*c</c>, and returns the first byte plus the length.
    /// </summary>
    public const string Load = """
        (func (export "load") (param $data i32) (param $len i32) (param $w i32) (param $h i32) (param $c i32) (param $desired i32) (result i32)
          (i32.store (local.get $w) (local.get $len))
          (i32.store (local.get $h) (i32.mul (local.get $desired) (i32.const 2)))
          (i32.store (local.get $c) (i32.const 3))
          (i32.add (i32.load8_u (local.get $data)) (local.get $len)))
        """;

    /// <summary><c>twelve</c>: twelve parameters of all four kinds, summed as f64 with weights 1 to 12.</summary>
    public const string Twelve = """
        (func (export "twelve")
          (param $a i32) (param $b i64) (param $c f32) (param $d f64) (param $e i32) (param $f i32)
          (param $g i32) (param $h i64) (param $i f32) (param $j f64) (param $k i32) (param $l i32) (result f64)
          (f64.add
            (f64.add
              (f64.add (f64.add (f64.convert_i32_s (local.get $a)) (f64.mul (f64.const 2) (f64.convert_i64_s (local.get $b))))
                       (f64.add (f64.mul (f64.const 3) (f64.promote_f32 (local.get $c))) (f64.mul (f64.const 4) (local.get $d))))
              (f64.add (f64.add (f64.mul (f64.const 5) (f64.convert_i32_s (local.get $e))) (f64.mul (f64.const 6) (f64.convert_i32_s (local.get $f))))
                       (f64.add (f64.mul (f64.const 7) (f64.convert_i32_s (local.get $g))) (f64.mul (f64.const 8) (f64.convert_i64_s (local.get $h))))))
            (f64.add (f64.add (f64.mul (f64.const 9) (f64.promote_f32 (local.get $i))) (f64.mul (f64.const 10) (local.get $j)))
                     (f64.add (f64.mul (f64.const 11) (f64.convert_i32_s (local.get $k))) (f64.mul (f64.const 12) (f64.convert_i32_s (local.get $l)))))))
        """;

    /// <summary>Scalars: <c>widen_s</c>/<c>widen_u</c> show the i32 the guest got, sign-extended to i64; the <c>echo_*</c> return their argument.</summary>
    public const string Scalars = """
        (func (export "widen_s") (param $x i32) (result i64) (i64.extend_i32_s (local.get $x)))
        (func (export "widen_u") (param $x i32) (result i64) (i64.extend_i32_s (local.get $x)))
        (func (export "echo_i32") (param $x i32) (result i32) (local.get $x))
        (func (export "echo_i32b") (param $x i32) (result i32) (local.get $x))
        (func (export "echo_i32c") (param $x i32) (result i32) (local.get $x))
        (func (export "echo_i32d") (param $x i32) (result i32) (local.get $x))
        (func (export "echo_i64") (param $x i64) (result i64) (local.get $x))
        (func (export "echo_f32") (param $x f32) (result f32) (local.get $x))
        (func (export "not") (param $x i32) (result i32) (i32.eqz (local.get $x)))
        """;

    /// <summary>
    /// By reference: <c>bump_pair</c> adds 1 to a pair's <c>A</c> (i32 at 0) and doubles its <c>B</c> (i64 at 8),
    /// trapping unless the pair is 8-aligned; <c>sum_pair</c> returns A + B; <c>halves</c> writes x / 2 to an f64 out
    /// and x / 4 to an f32 out and returns x.
    /// </summary>
    public const string ByReference = """
        (func (export "bump_pair") (param $p i32)
          (if (i32.and (local.get $p) (i32.const 7)) (then unreachable))
          (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
          (i64.store offset=8 (local.get $p) (i64.mul (i64.load offset=8 (local.get $p)) (i64.const 2))))
        (func (export "sum_pair") (param $p i32) (result i64)
          (i64.add (i64.extend_i32_s (i32.load (local.get $p))) (i64.load offset=8 (local.get $p))))
        (func (export "halves") (param $x f64) (param $half i32) (param $quarter i32) (result f64)
          (f64.store (local.get $half) (f64.div (local.get $x) (f64.const 2)))
          (f32.store (local.get $quarter) (f32.demote_f64 (f64.div (local.get $x) (f64.const 4))))
          (local.get $x))
        """;

    /// <summary>
    /// Strings: <c>strlen</c> counts bytes up to the zero (-1 for a null pointer); <c>strlen_trap</c> traps after
    /// nothing; <c>greeting</c> returns "héllo" from a data segment, or 0 when its argument is 0.
    /// </summary>
    public const string Strings = """
        (data (i32.const 16) "h\c3\a9llo\00")
        (func $strlen (export "strlen") (param $s i32) (result i32) (local $n i32)
          (if (i32.eqz (local.get $s)) (then (return (i32.const -1))))
          (block $done
            (loop $next
              (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $n)))))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $next)))
          (local.get $n))
        (func (export "strlen2") (param $a i32) (param $b i32) (result i32)
          (i32.add (call $strlen (local.get $a)) (call $strlen (local.get $b))))
        (func (export "strlen_trap") (param $s i32) unreachable)
        (func (export "greeting") (param $x i32) (result i32)
          (if (result i32) (local.get $x) (then (i32.const 16)) (else (i32.const 0))))
        """;

    /// <summary>Spans: <c>sum_bytes</c> adds <c>n</c> bytes; <c>scale</c> multiplies <c>n</c> floats in place.</summary>
    public static readonly string Spans = """
        (func (export "sum_bytes") (param $p i32) (param $n i32) (result i32) (local $total i32)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $total (i32.add (local.get $total) (i32.load8_u (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
          (local.get $total))
        """ + HostModules.Scale;

    /// <summary>Every export above, over a C <c>malloc</c>/<c>free</c> that counts frees.</summary>
    public static readonly string Everything = HostModules.Module(
        HostModules.CMalloc, Load + Twelve + Scalars + ByReference + Strings + Spans + HostModules.Spin);

    /// <summary>
    /// <c>run(seed)</c> calls the host: <c>env.twelve</c> with twelve arguments of every kind, <c>env.log</c> with
    /// "hello", and returns <c>env.twice(seed) + env.is_odd(seed)</c>.
    /// </summary>
    public static readonly string Imports = HostModules.Module(
        HostModules.CMalloc,
        """
        (data (i32.const 16) "hello")
        (func (export "run") (param $seed i32) (result i32)
          (call $twelve (local.get $seed) (i64.const -2) (f32.const 3.5) (f64.const 4.25) (i32.const -1) (i32.const 1)
                        (i32.const -3) (i64.const -1) (i32.const 255) (i32.const -1) (i32.const 200) (i32.const 65535))
          (call $log (i32.const 16) (i32.const 5))
          (i32.add (i32.wrap_i64 (call $twice (i64.extend_i32_s (local.get $seed)))) (call $is_odd (local.get $seed))))
        """,
        imports: """
        (import "env" "twelve" (func $twelve (param i32 i64 f32 f64 i32 i32 i32 i64 i32 i32 i32 i32)))
        (import "env" "log" (func $log (param i32 i32)))
        (import "env" "twice" (func $twice (param i64) (result i64)))
        (import "env" "is_odd" (func $is_odd (param i32) (result i32)))
        """);
}
