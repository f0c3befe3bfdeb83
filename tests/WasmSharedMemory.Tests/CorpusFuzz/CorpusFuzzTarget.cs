using System;
using System.Collections.Generic;
using System.Linq;
using WasmSharedMemory.Tests.Corpus;
using WasmSharedMemory.Tests.Fuzzing;
using WasmSharedMemory.Tests.StbFuzz;

namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>Serves one input on a published module; <paramref name="exact"/> is the seed it equals byte for byte, if it is one.</summary>
/// <returns>The outcome; a wrong result throws <see cref="WrongResultException"/>, a documented exception escapes to <see cref="CorpusFuzzTarget"/>.</returns>
internal delegate CorpusOutcome CorpusServe(WasmHost host, byte[] input, CorpusSeed origin, bool exact, CallClock clock);

/// <summary>
/// One published module under attack: how to load it (its contract and imports), its seeds, and one request as a
/// service would make it. <see cref="Open"/> gives a pool of its hosts under the fuzz's limits and a run over it.
/// </summary>
internal sealed class CorpusFuzzTarget
{
    private readonly AllocatorContract? _contract;
    private readonly Func<WasmHostOptions> _options;
    private readonly Func<WasmHost, IReadOnlyList<CorpusSeed>> _seeds;
    private readonly CorpusServe _serve;
    private IReadOnlyList<CorpusSeed>? _made;

    /// <param name="module">The module's id in tests/corpus/manifest.json.</param>
    /// <param name="seeds">Makes the seeds on a host with no limits (a compressor's frames, a hash's known values).</param>
    public CorpusFuzzTarget(string module, AllocatorContract? contract, Func<WasmHostOptions> options, Func<WasmHost, IReadOnlyList<CorpusSeed>> seeds, CorpusServe serve) =>
        (Module, _contract, _options, _seeds, _serve) = (module, contract, options, seeds, serve);

    public string Module { get; }

    /// <summary>
    /// Gets the <c>CallTimeout</c> of the module's hosts: 1 s by default, four times the stb fuzz's, since a valid
    /// request to these modules (a 20 KB round trip, a table built at a host's first call) takes tens of milliseconds
    /// where an stb call takes one, and must not time out on a 2-core machine shared with other builds.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the module's share of a run's inputs, relative to the others' (1).</summary>
    public double InputShare { get; init; } = 1;

    /// <summary>Gets whether the module only decodes: its plain seeds are not frames, and decoding them is an error.</summary>
    public bool DecodesOnly { get; init; }

    /// <summary>Gets the seeds whose request ends in <see cref="CorpusOutcome.Result"/>: all, or a decoder's frames.</summary>
    public IReadOnlyList<CorpusSeed> ValidSeeds => DecodesOnly ? Seeds.Where(s => s.Plain is not null).ToArray() : Seeds;

    /// <summary>Gets the seeds, made once on a host of their own.</summary>
    public IReadOnlyList<CorpusSeed> Seeds
    {
        get
        {
            if (_made is null)
            {
                using WasmHost host = WasmHost.FromFile(PublishedModules.Path(Module), _contract, _options());
                _made = _seeds(host);
            }

            return _made;
        }
    }

    /// <summary>The limits every host of the fuzz runs under: <see cref="CallTimeout"/> and the stb fuzz's <c>MaxMemoryBytes</c>.</summary>
    public WasmHostOptions LimitedOptions()
    {
        WasmHostOptions options = _options();
        options.CallTimeout = CallTimeout;
        options.MaxMemoryBytes = StbFuzzSettings.MaxMemoryBytes;
        return options;
    }

    /// <summary>A pool of <paramref name="hosts"/> over <paramref name="module"/>, under <see cref="LimitedOptions"/>.</summary>
    public WasmHostPool Pool(WasmModule module, int hosts, WasmHostReuse reuse) =>
        new(module, hosts, LimitedOptions(), reuse, _contract);

    /// <summary>Loads the module as the pool's hosts need it (interruptible, for <c>CallTimeout</c>).</summary>
    public WasmModule Load() => WasmModule.FromFile(PublishedModules.Path(Module), new WasmModuleOptions { Interruptible = true, Name = Module });

    /// <summary>A run of this module's inputs over <paramref name="pool"/>.</summary>
    public FuzzRun<CorpusOutcome> Run(WasmHostPool pool) =>
        new(pool, CallTimeout, StbFuzzSettings.Allowance, new FuzzStats<CorpusOutcome>(), (seed, index) => CorpusMutator.Make(Seeds, seed, index), Serve, Faults);

    public static bool Faults(CorpusOutcome outcome) => outcome is CorpusOutcome.Trap or CorpusOutcome.Timeout;

    /// <summary>Serves <paramref name="input"/>, each documented exception mapped to its outcome.</summary>
    public CorpusOutcome Serve(WasmHost host, byte[] input, string origin, out TimeSpan longestCall)
    {
        CorpusSeed seed = Seeds.First(s => s.Name == origin);
        var clock = new CallClock();
        try
        {
            return _serve(host, input, seed, input.AsSpan().SequenceEqual(seed.Bytes), clock);
        }
        catch (WasmTrapException)
        {
            clock.Stop();
            return CorpusOutcome.Trap;
        }
        catch (TimeoutException)
        {
            clock.Stop();
            return CorpusOutcome.Timeout;
        }
        catch (WasmOutOfMemoryException)
        {
            return CorpusOutcome.OutOfMemory;
        }
        finally
        {
            longestCall = clock.Longest;
        }
    }
}
