using System.Linq;
using System.Text.RegularExpressions;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;

namespace WasmSharedMemory.Tests;

/// <summary>The table of Emscripten's runtime imports: each entry's documented signature is the one it serves.</summary>
public sealed class EmscriptenImportsTests : LeakCheckedTests
{
    public static TheoryData<string> Names => new(EmscriptenImports.All.Select(i => i.Name + " " + i.Signature.Text));

    [Theory]
    [MemberData(nameof(Names))]
    public void Entry_SignatureText_MatchesItsTypes(string entry)
    {
        BuiltInImport import = EmscriptenImports.All.Single(i => i.Name + " " + i.Signature.Text == entry);
        string withoutNames = Regex.Replace(import.Signature.Text, @"(i32|i64|f32|f64) \w+", "$1");

        Assert.Equal("env", import.Module);
        Assert.Equal(withoutNames, WasmTypes.Format(import.Signature.Parameters, import.Signature.Result is { } result ? new[] { result } : new ValueKind[0]));
    }
}
