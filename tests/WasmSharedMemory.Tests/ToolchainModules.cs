using System;
using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>The committed modules each toolchain built, copied next to the tests by the project file.</summary>
internal static class ToolchainModules
{
    /// <summary>AssemblyScript 0.27.37: samples/WasmSharedMemory.AssemblyScript/scale.wasm.</summary>
    public static string AssemblyScript => Path("scale.wasm");

    /// <summary>Emscripten 3.1.6, a standalone reactor: samples/WasmSharedMemory.Emscripten/signal.wasm.</summary>
    public static string Emscripten => Path("signal.wasm");

    /// <summary>clang 14 and wasi-libc: samples/WasmSharedMemory.ForeignModule/imaging.wasm.</summary>
    public static string C => Path("imaging.wasm");

    /// <summary>Rust 1.63 (Debian's rustc), wasm-bindgen's allocator ABI and two host imports: rust/fixtures/host_calls.</summary>
    public static string Rust => Path("host_calls.wasm");

    /// <summary>Returns the text of a WAT test module in the test output's Modules folder (tests/WasmSharedMemory.Tests/Modules/*.wat).</summary>
    public static string Wat(string file) => File.ReadAllText(Path(file));

    /// <summary>Returns the path of a module in the test output's Modules folder.</summary>
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Modules", file);
}
