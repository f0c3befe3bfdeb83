using System;
using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>wasm-bindgen's intrinsic imports, built in over a .NET-side object heap, in the signatures older builds use.</summary>
public sealed class WasmBindgenImportTests : LeakCheckedTests
{
    private static string Text => File.ReadAllText(ToolchainModules.Path("bindgen_intrinsics.wat"));

    private WasmHost Load(WasmHostOptions? options = null) => Track(WasmHost.FromText(Text, options: options));

    [Fact]
    public void Number_ThroughTheHeap_ComesBack()
    {
        using WasmHost host = Load();

        Assert.Equal(-2.5, host.GetFunction<double, double>("number_roundtrip")(-2.5));
        Assert.Equal(1, host.GetFunction<int>("number_of_string")());
    }

    [Fact]
    public void String_ThroughTheHeap_IsCopiedIntoTheGuestsAllocator()
    {
        using WasmHost host = Load();

        uint address = (uint)host.GetFunction<int>("string_roundtrip")();

        Assert.True(address >= 1024);
        Assert.Equal("hello", host.Memory.ReadUtf8(address, host.Memory.GetSpan<int>(520, 1)[0]));
        Assert.Equal(0, host.LiveBuffers); // the guest owns the copy
    }

    [Fact]
    public void Json_ParsedAndSerialized_IsTheSameText()
    {
        using WasmHost host = Load();

        uint address = (uint)host.GetFunction<int>("json_roundtrip")();

        Assert.Equal("{\"a\":[1,2]}", host.Memory.ReadUtf8(address, host.Memory.GetSpan<int>(520, 1)[0]));
    }

    [Fact]
    public void Constants_OfOlderAndNewerBuilds_ReadAsUndefinedNullTrueFalse()
    {
        using WasmHost host = Load();
        host.GetFunction<int>("new_number")(); // index 132 now holds a number, not a boolean

        Assert.Equal(0b111111, host.GetFunction<int>("constants")());
    }

    [Fact]
    public void Rethrow_TrapsCarryingTheError()
    {
        using WasmHost host = Load();

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction("rethrow")());

        Assert.Contains("wasm-bindgen rethrow: Error: bad input", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void UsersDefinition_ReplacesTheIntrinsic()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("__wbindgen_placeholder__", "__wbindgen_number_new", (double value) => 7);
        options.Imports.Define("__wbindgen_placeholder__", "__wbindgen_number_get", (int index, int invalid) => index * 10.0);
        options.Imports.Define("__wbindgen_placeholder__", "__wbindgen_object_drop_ref", (int index) => { });
        using WasmHost host = Load(options);

        Assert.Equal(70, host.GetFunction<double, double>("number_roundtrip")(1));
    }

    [Fact]
    public void CratesOwnImports_AreNamedTogetherInOneLoadError()
    {
        const string module = """
            (module
              (import "./crate_bg.js" "__wbg_log_0123456789abcdef" (func (param i32 i32)))
              (import "./crate_bg.js" "__wbg_now_fedcba9876543210" (func (result f64)))
              (import "./crate_bg.js" "__wbindgen_string_new" (func (param i32 i32) (result i32)))
              (import "./crate_bg.js" "__wbindgen_is_undefined" (func (param externref) (result i32)))
              (memory (export "memory") 1)
              (func (export "__wbindgen_malloc") (param i32 i32) (result i32) (i32.const 1024))
              (func (export "__wbindgen_free") (param i32 i32 i32)))
            """;

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(module)));

        Assert.Contains("./crate_bg.js.__wbg_log_0123456789abcdef (i32, i32) -> () (the crate's own JavaScript import)", ex.Message);
        Assert.Contains("./crate_bg.js.__wbg_now_fedcba9876543210 () -> f64 (the crate's own JavaScript import)", ex.Message);
        Assert.Contains("__wbindgen_is_undefined", ex.Message);
        Assert.Contains("externref", ex.Message);
        Assert.DoesNotContain("__wbindgen_string_new", ex.Message.Substring(0, ex.Message.IndexOf("which nothing defines", StringComparison.Ordinal)));
    }
}
