using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// The corpus of modules published on npm that nobody here built (tests/corpus/manifest.json): each one's
/// <c>.wasm</c> as its package ships it, fetched by tests/corpus/fetch.mjs into artifacts/corpus/ and checked
/// against the manifest's SHA-256 before a test may load it.
/// </summary>
internal static class PublishedModules
{
    private static readonly object s_fetchLock = new();
    private static bool s_fetched;

    /// <summary>Gets the repository's root folder (the one holding WasmSharedMemory.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Gets the folder the corpus is fetched into.</summary>
    public static string Folder => System.IO.Path.Combine(RepositoryRoot, "artifacts", "corpus");

    /// <summary>Returns the manifest entry of the module <paramref name="id"/>.</summary>
    public static JsonElement Entry(string id)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(RepositoryRoot, "tests", "corpus", "manifest.json")));
        foreach (JsonElement module in manifest.RootElement.GetProperty("modules").EnumerateArray())
        {
            if (module.GetProperty("id").GetString() == id)
            {
                return module.Clone();
            }
        }

        throw new ArgumentException($"tests/corpus/manifest.json has no module '{id}'.", nameof(id));
    }

    /// <summary>Returns the path of module <paramref name="id"/>'s <c>.wasm</c>, fetching the corpus first if it is missing, after checking its SHA-256.</summary>
    public static string Path(string id)
    {
        JsonElement entry = Entry(id);
        if (entry.TryGetProperty("excluded", out JsonElement excluded) && excluded.ValueKind == JsonValueKind.String)
        {
            throw new InvalidOperationException($"Module '{id}' is excluded from the corpus: {excluded.GetString()}");
        }

        string path = System.IO.Path.Combine(PackageFolder(id), entry.GetProperty("wasm").GetString()!);
        string expected = entry.GetProperty("sha256").GetString()!;
        if (!File.Exists(path) || Sha256(path) != expected)
        {
            Fetch();
        }

        string actual = File.Exists(path) ? Sha256(path) : "missing";
        if (actual != expected)
        {
            throw new InvalidOperationException($"Module '{id}' at {path} has SHA-256 {actual}; the manifest says {expected}.");
        }

        return path;
    }

    /// <summary>Returns the folder module <paramref name="id"/>'s package is extracted to, as published.</summary>
    public static string PackageFolder(string id) => System.IO.Path.Combine(Folder, id, "package");

    /// <summary>Runs tests/corpus/fetch.mjs once per process; it fetches only what is missing or wrong.</summary>
    public static void Fetch()
    {
        lock (s_fetchLock)
        {
            if (s_fetched)
            {
                return;
            }

            NodeReference.Run(System.IO.Path.Combine(RepositoryRoot, "tests", "corpus", "fetch.mjs"), timeoutSeconds: 600);
            s_fetched = true;
        }
    }

    private static string Sha256(string path)
    {
        using SHA256 sha = SHA256.Create();
        using FileStream file = File.OpenRead(path);
        return string.Concat(sha.ComputeHash(file).Select(b => b.ToString("x2")));
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "WasmSharedMemory.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No WasmSharedMemory.sln above {AppContext.BaseDirectory}.");
    }
}
