using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;

namespace WasmSharedMemory.Tests;

/// <summary>The library's XML docs, as the build writes them beside the assembly and the package ships them: public API only.</summary>
public sealed class XmlDocsTests : LeakCheckedTests
{
    private static readonly XDocument s_docs = XDocument.Load(Path.ChangeExtension(typeof(WasmHost).Assembly.Location, ".xml"));

    private static string[] Ids => s_docs.Descendants("member").Select(m => (string)m.Attribute("name")!).ToArray();

    [Fact]
    public void Docs_DescribeNoInternalType()
    {
        Assert.DoesNotContain(Ids, id => id.Contains(".Internals.", StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_OmitNonPublicMembersOfPublicTypes()
    {
        Assert.DoesNotContain("M:WasmSharedMemory.WasmHostPool.#ctor(System.Func{WasmSharedMemory.WasmHost},System.Int32,WasmSharedMemory.WasmHostReuse)", Ids);
        Assert.DoesNotContain("P:WasmSharedMemory.WasmBuffer`1.UncheckedAddress", Ids);
    }

    [Fact]
    public void Docs_DescribeEveryPublicType()
    {
        string[] types = typeof(WasmHost).Assembly.GetExportedTypes().Select(t => "T:" + t.FullName!.Replace('+', '.')).ToArray();

        Assert.Empty(types.Except(Ids));
        Assert.Contains("M:WasmSharedMemory.WasmHostPool.#ctor(WasmSharedMemory.WasmModule,System.Int32,WasmSharedMemory.WasmHostOptions,WasmSharedMemory.WasmHostReuse,WasmSharedMemory.AllocatorContract)", Ids);
        Assert.Contains("M:WasmSharedMemory.GuestMemory.Grow(System.Int64)", Ids);
    }
}
