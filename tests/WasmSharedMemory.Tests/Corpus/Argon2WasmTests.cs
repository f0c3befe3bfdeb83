using System;
using System.Text;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// argon2-browser as published (minified Emscripten, memory exported as <c>c</c>): argon2id with 128 MiB of memory
/// cost, which grows the module's 16 MiB heap past 128 MiB, equal to the package's argon2.hash() in Node.
/// </summary>
public sealed class Argon2WasmTests : LeakCheckedTests
{
    private const int Argon2id = 2, Version = 0x13, HashLength = 32;
    private static readonly byte[] s_salt = Encoding.UTF8.GetBytes("wasm-shared-memory");

    [Fact]
    public void Hash_128MiBMemoryCost_EqualsNodeAndGrowsMemory()
    {
        byte[] password = Encoding.UTF8.GetBytes("correct horse battery staple");
        byte[] expected = NodeReference.Run("argon2-browser.mjs", Arguments(time: 1, memoryKiB: 131072), password);

        using WasmHost host = Load();
        byte[] hash = Hash(host, password, time: 1, memoryKiB: 131072);

        Assert.True(host.Memory.Length > 128 << 20, $"memory is {host.Memory.Length} bytes");
        Assert.Equal(expected, hash);
    }

    internal static WasmHostOptions Options()
    {
        var options = new WasmHostOptions();
        Argon2Wasm.DefineImports(options.Imports);
        return options;
    }

    internal static byte[] Hash(WasmHost host, ReadOnlySpan<byte> password, int time, int memoryKiB)
    {
        var argon2 = new Argon2Wasm(host);
        using WasmBuffer<byte> pwd = host.Allocate<byte>(password.Length);
        using WasmBuffer<byte> salt = host.Allocate<byte>(s_salt.Length);
        using WasmBuffer<byte> hash = host.Allocate<byte>(HashLength);
        password.CopyTo(pwd.Span);
        s_salt.CopyTo(salt.Span);
        int code = argon2.Hash(time, memoryKiB, 1, pwd, password.Length, salt, s_salt.Length, hash, HashLength, 0, 0, Argon2id, Version);
        return code == 0 ? hash.Span.ToArray() : throw new InvalidOperationException($"argon2_hash returned {code}.");
    }

    internal static string[] Arguments(int time, int memoryKiB) =>
        new[] { "--salt", "wasm-shared-memory", "--time", $"{time}", "--mem", $"{memoryKiB}", "--parallelism", "1", "--hashLen", $"{HashLength}", "--type", $"{Argon2id}" };

    private WasmHost Load()
    {
        WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("argon2-browser"), Argon2Wasm.Contract, Options()));
        new Argon2Wasm(host).CallConstructors();
        return host;
    }
}
