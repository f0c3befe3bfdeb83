using System;
using System.Collections.Generic;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// One background thread that advances the epoch of every engine with a live interruptible host, so calls
/// can check their time limit and cancellation; it runs only while such a host exists.
/// </summary>
internal static class EpochTicker
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    private static readonly object s_gate = new();
    private static readonly Dictionary<Engine, int> s_attached = new();
    private static Engine[] s_engines = Array.Empty<Engine>();
    private static Thread? s_thread;

    /// <summary>Starts ticking <paramref name="engine"/> for one more host.</summary>
    public static void Attach(Engine engine)
    {
        lock (s_gate)
        {
            s_attached.TryGetValue(engine, out int count);
            s_attached[engine] = count + 1;
            Publish();
            if (s_thread is null)
            {
                // Above the callers' priority: a runaway call busy-spins a core, and a starved ticker would let it overrun.
                s_thread = new Thread(Run) { IsBackground = true, Name = "WasmSharedMemory epoch ticker", Priority = ThreadPriority.Highest };
                s_thread.Start();
            }
        }
    }

    /// <summary>Stops ticking <paramref name="engine"/> for one host; the thread ends with the last one.</summary>
    public static void Detach(Engine engine)
    {
        lock (s_gate)
        {
            if (s_attached.TryGetValue(engine, out int count))
            {
                if (count == 1)
                {
                    s_attached.Remove(engine);
                }
                else
                {
                    s_attached[engine] = count - 1;
                }

                Publish();
            }
        }
    }

    private static void Publish()
    {
        var engines = new Engine[s_attached.Count];
        s_attached.Keys.CopyTo(engines, 0);
        Volatile.Write(ref s_engines, engines);
    }

    private static void Run()
    {
        while (true)
        {
            Thread.Sleep(Interval);
            Engine[] engines = Volatile.Read(ref s_engines);
            if (engines.Length == 0)
            {
                lock (s_gate)
                {
                    if (s_engines.Length == 0)
                    {
                        s_thread = null;
                        return;
                    }
                }

                continue;
            }

            // Engines here live for the whole process (see EngineProfile), so this never races a dispose.
            foreach (Engine engine in engines)
            {
                engine.IncrementEpoch();
            }
        }
    }
}
