using System;
using System.Text;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// A real Emscripten build published on npm, loaded unpatched: sql.js 1.16.0's non-minified debug build, whose
/// runtime imports the host defines itself (tests/corpus/manifest.json, id sql-js-debug). SQLite runs on an in-memory
/// database through its exported C API and grows memory past its initial 21 MiB through emscripten_resize_heap.
/// </summary>
public sealed class PublishedEmscriptenTests : LeakCheckedTests
{
    private const int Enosys = -52; // Emscripten's errno for a function not implemented

    [Fact]
    public void SqlJsDebug_InMemoryDatabase_RunsQueriesAndGrowsMemory()
    {
        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("sql-js-debug"), options: FileSystemRefused()));
        long initial = host.Memory.Length;
        int db = Open(host);

        Exec(host, db, "CREATE TABLE t(x INTEGER, y TEXT);" +
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) INSERT INTO t SELECT x, hex(randomblob(100)) FROM c;");
        double[] row = SelectDoubles(host, db, "SELECT count(*), sum(x), sum(length(y)) FROM t", 3);

        Assert.Equal(new[] { 200000.0, 200000.0 * 200001 / 2, 200000.0 * 200 }, row);
        Assert.True(host.Memory.Length > initial + (16 << 20), $"memory grew from {initial} to only {host.Memory.Length} bytes");
        Assert.Equal(0, host.GetFunction<int, int>("sqlite3_close_v2")(db));
    }

    [Fact]
    public void SqlJsDebug_ErrorMessageAndText_ComeBackThroughItsApi()
    {
        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("sql-js-debug"), options: FileSystemRefused()));
        int db = Open(host);

        using WasmBuffer<byte> bad = host.AllocateUtf8("SELEKT 1");
        using WasmBuffer<int> error = host.Allocate<int>(1);
        int code = host.GetFunction<int, int, int, int, int, int>("sqlite3_exec")(db, (int)bad.Address, 0, 0, (int)error.Address);

        Assert.Equal(1, code); // SQLITE_ERROR
        Assert.Equal("near \"SELEKT\": syntax error", CString(host, (uint)error.Span[0]));
        host.GetAction<int>("sqlite3_free")(error.Span[0]);
        Assert.Equal("HELLO, WASM", SelectText(host, db, "SELECT upper('hello, ' || 'wasm')"));
        Assert.Equal(0, host.GetFunction<int, int>("sqlite3_close_v2")(db));
    }

    /// <summary>
    /// The imports sql.js's JavaScript file system implements, which an in-memory database does not use: a user
    /// without a file system defines each as failing, as here. Everything else the build imports is the host's.
    /// </summary>
    private static WasmHostOptions FileSystemRefused()
    {
        var options = new WasmHostOptions();
        WasmImports imports = options.Imports;
        imports.Define("env", "warnLegacyFunction", (int name) => { });
        foreach (string name in new[] { "__syscall_faccessat", "__syscall_newfstatat", "__syscall_openat", "__syscall_readlinkat", "__syscall_utimensat" })
        {
            imports.Define("env", name, (int a, int b, int c, int d) => Enosys);
        }

        foreach (string name in new[] { "__syscall_fchown32", "__syscall_fcntl64", "__syscall_mkdirat", "__syscall_unlinkat" })
        {
            imports.Define("env", name, (int a, int b, int c) => Enosys);
        }

        foreach (string name in new[] { "__syscall_fchmod", "__syscall_chmod", "__syscall_fstat64", "__syscall_stat64", "__syscall_lstat64", "__syscall_getcwd" })
        {
            imports.Define("env", name, (int a, int b) => Enosys);
        }

        imports.Define("env", "__syscall_rmdir", (int path) => Enosys);
        imports.Define("env", "__syscall_geteuid32", () => 0);
        imports.Define("env", "__syscall_ftruncate64", (int fd, long length) => Enosys);
        imports.Define("env", "_munmap_js", (int address, int length, int protection, int flags, int fd, long offset) => Enosys);
        imports.Define("env", "_mmap_js", (int length, int protection, int flags, int fd, long offset, int allocated, int address) => Enosys);
        return options;
    }

    private static int Open(WasmHost host)
    {
        using WasmBuffer<byte> name = host.AllocateUtf8(":memory:");
        using WasmBuffer<int> handle = host.Allocate<int>(1);
        Assert.Equal(0, host.GetFunction<int, int, int>("sqlite3_open")((int)name.Address, (int)handle.Address));
        return handle.Span[0];
    }

    private static void Exec(WasmHost host, int db, string sql)
    {
        using WasmBuffer<byte> text = host.AllocateUtf8(sql);
        Assert.Equal(0, host.GetFunction<int, int, int, int, int, int>("sqlite3_exec")(db, (int)text.Address, 0, 0, 0));
    }

    private static double[] SelectDoubles(WasmHost host, int db, string sql, int columns)
    {
        int statement = Prepare(host, db, sql);
        Assert.Equal(100, host.GetFunction<int, int>("sqlite3_step")(statement)); // SQLITE_ROW
        var values = new double[columns];
        for (int i = 0; i < columns; i++) values[i] = host.GetFunction<int, int, double>("sqlite3_column_double")(statement, i);
        Assert.Equal(0, host.GetFunction<int, int>("sqlite3_finalize")(statement));
        return values;
    }

    private static string SelectText(WasmHost host, int db, string sql)
    {
        int statement = Prepare(host, db, sql);
        Assert.Equal(100, host.GetFunction<int, int>("sqlite3_step")(statement));
        string text = CString(host, (uint)host.GetFunction<int, int, int>("sqlite3_column_text")(statement, 0));
        Assert.Equal(0, host.GetFunction<int, int>("sqlite3_finalize")(statement));
        return text;
    }

    private static int Prepare(WasmHost host, int db, string sql)
    {
        using WasmBuffer<byte> text = host.AllocateUtf8(sql);
        using WasmBuffer<int> statement = host.Allocate<int>(1);
        Assert.Equal(0, host.GetFunction<int, int, int, int, int, int>("sqlite3_prepare_v2")(db, (int)text.Address, -1, (int)statement.Address, 0));
        return statement.Span[0];
    }

    private static string CString(WasmHost host, uint address)
    {
        ReadOnlySpan<byte> rest = host.Memory.GetSpan<byte>(address, (int)Math.Min(4096, host.Memory.Length - address));
        return Encoding.UTF8.GetString(rest.Slice(0, rest.IndexOf((byte)0)).ToArray());
    }
}
