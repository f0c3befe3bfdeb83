using System;
using System.Collections.Generic;
using System.Linq;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The base of every test class. Each module or host a test creates goes through <c>Track</c>; when the test
/// ends, every tracked one must have been disposed and every buffer it gave out disposed too. xunit creates
/// one instance per test, so a leak fails the test that made it, with the module and the counts in the
/// message. <see cref="LeakCheckCoverageTests"/> fails if a test class does not derive from this.
/// </summary>
public abstract class LeakCheckedTests : IDisposable
{
    private readonly List<(GuestInstance Guest, string Description)> _tracked = new();

    /// <summary>Gets how many modules and hosts this test has tracked so far.</summary>
    protected int TrackedModules
    {
        get
        {
            lock (_tracked)
            {
                return _tracked.Count;
            }
        }
    }

    /// <summary>Loads the kernel module and tracks it.</summary>
    protected ISharedMemoryModule Load(ModuleVariant variant = ModuleVariant.Auto, SharedMemoryOptions? options = null) =>
        Track(SharedMemoryModule.Load(variant, options));

    /// <summary>Tracks a kernel module (the real one or a test module); safe to call from several threads.</summary>
    protected T Track<T>(T module)
        where T : ISharedMemoryModule
    {
        Add(module.Host.Guest, $"{module.Variant} module");
        return module;
    }

    /// <summary>Tracks a host; safe to call from several threads.</summary>
    protected WasmHost Track(WasmHost host)
    {
        Add(host.Guest, $"{host.Contract.Name} host");
        return host;
    }

    /// <summary>Fails the test if a tracked module was left undisposed or with buffers never disposed; disposes any left over.</summary>
    public virtual void Dispose()
    {
        List<string> leaks;
        lock (_tracked)
        {
            leaks = _tracked
                .Select((t, i) => (t.Guest, Problem: Problem(t.Guest), Name: $"{t.Description} #{i + 1} of {_tracked.Count}"))
                .Where(t => t.Problem is not null)
                .Select(t => $"{t.Name} {t.Problem}")
                .ToList();
            foreach (var (guest, _) in _tracked)
            {
                guest.Dispose();
            }
        }

        GC.SuppressFinalize(this);
        Assert.True(leaks.Count == 0, $"The test leaked: {string.Join("; ", leaks)}.");
    }

    private static string? Problem(GuestInstance guest)
    {
        bool disposed = guest.IsDisposed;
        // Not LiveBuffers, which reads 0 once the module is disposed: a buffer never disposed is a leak all the same.
        int buffers = guest.Heap.UndisposedBuffers;
        long bytes = guest.Heap.UndisposedBytes;
        return (disposed, buffers, bytes) switch
        {
            (true, 0, 0) => null,
            (false, 0, 0) => "was never disposed",
            _ => $"{(disposed ? "was disposed" : "was never disposed")} with {buffers} buffers never disposed ({bytes} bytes)",
        };
    }

    private void Add(GuestInstance guest, string description)
    {
        lock (_tracked)
        {
            _tracked.Add((guest, description));
        }
    }
}
