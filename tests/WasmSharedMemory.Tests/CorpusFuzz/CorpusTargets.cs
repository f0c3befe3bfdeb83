using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using WasmSharedMemory.Tests.Corpus;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>
/// The published modules the fuzz attacks, each with the request a service would make of it: decoders fed
/// compressed frames and blocks (zstd twice, lz4, brotli, zlib), their compressors checked by a round trip,
/// a tokenizer fed text, hashes checked to repeat. Seeds are made by the modules themselves from the corpus's text.
/// </summary>
internal static class CorpusTargets
{
    /// <summary>The largest output a request accepts a frame's declared size for; above it the request declines.</summary>
    private const long MaxDeclaredSize = int.MaxValue;

    /// <summary>The output buffer a decoder is given when the frame does not say its size.</summary>
    private const int UnknownSizeCapacity = 1 << 20;

    public static IReadOnlyList<CorpusFuzzTarget> All { get; } = new[]
    {
        ZstdDecTarget(), ZstdWasmTarget(), Lz4Target(), BrotliTarget(), FlateTarget(), TiktokenTarget(), Blake3Target(), FarmHashTarget(),
    };

    /// <summary>Plain inputs: empty, one byte, the corpus's text at several lengths, random bytes, UTF-8 beyond ASCII.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> Texts(int largest)
    {
        yield return ("empty", Array.Empty<byte>());
        yield return ("one byte", "a"u8.ToArray());
        foreach (int length in new[] { 100, 3000, 20000 }.Where(l => l <= largest))
        {
            yield return ($"text {length}", CorpusInput.Text(length, (uint)length));
        }

        var random = new Random(44);
        var noise = new byte[Math.Min(2000, largest)];
        random.NextBytes(noise);
        yield return ($"random {noise.Length}", noise);
        yield return ("utf-8", Encoding.UTF8.GetBytes("Émoji 👍🏽 and 日本語, ünïcödé — the quick brown fox.\n" + Encoding.UTF8.GetString(CorpusInput.Text(500, 45))));
    }

    /// <summary>Each text as a seed for the round trip, and compressed by <paramref name="compress"/> as a frame that must decode back to it.</summary>
    private static IReadOnlyList<CorpusSeed> TextsAndFrames(int largest, Func<byte[], byte[]> compress) =>
        Texts(largest).SelectMany(t => new[] { new CorpusSeed($"text: {t.Name}", t.Bytes), new CorpusSeed($"frame: {t.Name}", compress(t.Bytes), t.Bytes) }).ToArray();

    private static bool IsText(CorpusSeed seed) => seed.Plain is null;

    /// <summary>The decoded output must be a seed's content when its frame came in unmutated.</summary>
    private static void CheckDecoded(CorpusSeed seed, bool exact, ReadOnlySpan<byte> output)
    {
        if (exact && seed.Plain is not null && !output.SequenceEqual(seed.Plain))
        {
            throw new WrongResultException($"the unmutated frame decoded to {output.Length} bytes, not its {seed.Plain.Length} bytes of content");
        }
    }

    private static void CheckRoundTrip(byte[] input, ReadOnlySpan<byte> output)
    {
        if (!output.SequenceEqual(input))
        {
            throw new WrongResultException($"compressed then decompressed, {input.Length} bytes came back as {output.Length} different ones");
        }
    }

    /// <summary>Runs <paramref name="init"/> once on each host before its first request (constructors, a tokenizer's tables).</summary>
    private static T Once<T>(ConditionalWeakTable<WasmHost, StrongBox<T>> done, WasmHost host, CallClock clock, Func<T> init)
    {
        if (done.TryGetValue(host, out StrongBox<T>? box))
        {
            return box.Value!;
        }

        clock.Start();
        T value = init();
        clock.Stop();
        done.AddOrUpdate(host, new StrongBox<T>(value));
        return value;
    }

    private static WasmBuffer<byte> Copy(WasmHost host, ReadOnlySpan<byte> input, CallClock clock)
    {
        clock.Start();
        WasmBuffer<byte> buffer = host.Allocate<byte>(Math.Max(1, input.Length));
        clock.Stop();
        input.CopyTo(buffer.Span);
        return buffer;
    }

    private static byte[] Take(WasmHost host, uint pointer, int length)
    {
        using WasmBuffer<byte> buffer = host.Adopt<byte>(pointer, length);
        return buffer.ToArray();
    }

    // zstddec 0.3.4 (standalone Emscripten): what its decode() does with a frame whose size it reads from the frame.
    private static CorpusFuzzTarget ZstdDecTarget() => new("zstddec", null, () => new WasmHostOptions(), _ => ZstdFrames, (host, input, seed, exact, clock) =>
    {
        var zstd = new ZstdDec(host);
        using WasmBuffer<byte> source = Copy(host, input, clock);
        clock.Start();
        long size = zstd.FindDecompressedSize(source, input.Length);
        clock.Stop();

        // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR: decode() is then given a size by its caller; this one gives 1 MiB.
        size = size is -1 or -2 ? UnknownSizeCapacity : size;
        if ((ulong)size > MaxDeclaredSize)
        {
            return CorpusOutcome.Refused;
        }

        using WasmBuffer<byte> destination = host.Allocate<byte>(Math.Max(1, (int)size));
        clock.Start();
        int written = zstd.Decompress(destination, (int)size, source, input.Length);
        clock.Stop();
        if (zstd.IsError(written) != 0)
        {
            return CorpusOutcome.GuestError;
        }

        if ((uint)written > (ulong)size)
        {
            throw new WrongResultException($"ZSTD_decompress wrote {written} bytes into {size}");
        }

        CheckDecoded(seed, exact, destination.Span.Slice(0, written));
        return CorpusOutcome.Result;
    }) { DecodesOnly = true };

    private static readonly ConditionalWeakTable<WasmHost, StrongBox<bool>> s_zstdConstructed = new();

    private static WasmHostOptions ZstdWasmOptions()
    {
        var options = new WasmHostOptions();
        ZstdWasm.DefineImports(options.Imports);
        return options;
    }

    private static IReadOnlyList<CorpusSeed>? s_zstdFrames;

    /// <summary>The zstd seeds, compressed by @bokuweb/zstd-wasm at level 3; zstddec decodes the same frames.</summary>
    private static IReadOnlyList<CorpusSeed> ZstdFrames
    {
        get
        {
            if (s_zstdFrames is null)
            {
                using WasmHost host = WasmHost.FromFile(PublishedModules.Path("zstd-wasm"), ZstdWasm.Contract, ZstdWasmOptions());
                new ZstdWasm(host).CallConstructors();
                s_zstdFrames = TextsAndFrames(20000, text => ZstdWasmTests.Compress(host, text));
            }

            return s_zstdFrames;
        }
    }

    // @bokuweb/zstd-wasm 0.0.27 (minified Emscripten): frames decompressed into a 1 MiB buffer, texts round-tripped.
    private static CorpusFuzzTarget ZstdWasmTarget() => new("zstd-wasm", ZstdWasm.Contract, ZstdWasmOptions, _ => ZstdFrames, (host, input, seed, exact, clock) =>
    {
        var zstd = new ZstdWasm(host);
        Once(s_zstdConstructed, host, clock, () =>
        {
            zstd.CallConstructors();
            return true;
        });
        using WasmBuffer<byte> source = Copy(host, input, clock);
        if (IsText(seed))
        {
            clock.Start();
            int bound = zstd.CompressBound(input.Length);
            using WasmBuffer<byte> compressed = host.Allocate<byte>(bound);
            int length = zstd.Compress(compressed, bound, source, input.Length, 3);
            clock.Stop();
            if (zstd.IsError(length) != 0)
            {
                throw new WrongResultException($"ZSTD_compress of {input.Length} bytes returned error {length}");
            }

            using WasmBuffer<byte> back = host.Allocate<byte>(Math.Max(1, input.Length));
            clock.Start();
            int written = zstd.Decompress(back, input.Length, compressed, length);
            clock.Stop();
            CheckRoundTrip(input, zstd.IsError(written) == 0 ? back.Span.Slice(0, written) : throw new WrongResultException($"its own frame failed with error {written}"));
            return CorpusOutcome.Result;
        }

        const int capacity = UnknownSizeCapacity;
        using WasmBuffer<byte> destination = host.Allocate<byte>(capacity);
        clock.Start();
        int decoded = zstd.Decompress(destination, capacity, source, input.Length);
        clock.Stop();
        if (zstd.IsError(decoded) != 0)
        {
            return CorpusOutcome.GuestError;
        }

        CheckDecoded(seed, exact, destination.Span.Slice(0, decoded));
        return CorpusOutcome.Result;
    });

    // lz4-wasm-nodejs 0.9.2 (wasm-bindgen 0.2.6x): size-prefixed blocks decompressed, an Err the documented way; texts round-tripped.
    private static CorpusFuzzTarget Lz4Target() => new("lz4-wasm-nodejs", null, () => new WasmHostOptions(), host => TextsAndFrames(20000, text => new Lz4(host).Compress(text)), (host, input, seed, exact, clock) =>
    {
        var lz4 = new Lz4(host);
        byte[] frame = input;
        if (IsText(seed))
        {
            clock.Start();
            frame = lz4.Compress(input);
            clock.Stop();
        }

        clock.Start();
        lz4.Decompress(out WasmBindgenVecResult result, frame);
        clock.Stop();
        if (result.IsError != 0)
        {
            return IsText(seed) ? throw new WrongResultException("its own block was refused") : CorpusOutcome.GuestError;
        }

        byte[] output = Take(host, result.Pointer, result.Length);
        if (IsText(seed))
        {
            CheckRoundTrip(input, output);
        }

        CheckDecoded(seed, exact, output);
        return CorpusOutcome.Result;
    });

    // brotli-wasm 3.0.1 (wasm-bindgen 0.2.80): streams decompressed, an Err the documented way. Its compress runs at
    // quality 11 (the crate's default; options other than undefined need a JavaScript object), 100-200 ms a call, so
    // its round trip is checked on the seeds only.
    private static CorpusFuzzTarget BrotliTarget() => new("brotli-wasm", null, BrotliWasm.Options, host => TextsAndFrames(3000, text => BrotliCompress(host, text)).Where(s => !IsText(s)).ToArray(), (host, input, seed, exact, clock) =>
    {
        var brotli = new BrotliWasm(host);
        clock.Start();
        brotli.Decompress(out WasmBindgenVecResult result, input);
        clock.Stop();
        if (result.IsError != 0)
        {
            return CorpusOutcome.GuestError;
        }

        CheckDecoded(seed, exact, Take(host, result.Pointer, result.Length));
        return CorpusOutcome.Result;
    });

    private static byte[] BrotliCompress(WasmHost host, byte[] input)
    {
        new BrotliWasm(host).Compress(out WasmBindgenVecResult result, input, BrotliWasm.Undefined);
        return result.IsError == 0 ? Take(host, result.Pointer, result.Length) : throw new WrongResultException($"compress of {input.Length} bytes returned an Err");
    }

    // wasm-flate 1.0.2 (wasm-bindgen 0.2.58): zlib streams decoded (a bad one panics: a trap); texts round-tripped.
    private static CorpusFuzzTarget FlateTarget() => new("wasm-flate", null, () => new WasmHostOptions(), host => TextsAndFrames(20000, text => FlateEncode(host, text)), (host, input, seed, exact, clock) =>
    {
        var flate = new WasmFlate(host);
        byte[] stream = input;
        if (IsText(seed))
        {
            clock.Start();
            stream = FlateEncode(host, input);
            clock.Stop();
        }

        clock.Start();
        flate.ZlibDecode(out WasmBindgenVec result, stream);
        clock.Stop();
        byte[] output = Take(host, result.Pointer, result.Length);
        if (IsText(seed))
        {
            CheckRoundTrip(input, output);
        }

        CheckDecoded(seed, exact, output);
        return CorpusOutcome.Result;
    });

    private static byte[] FlateEncode(WasmHost host, byte[] input)
    {
        new WasmFlate(host).ZlibEncode(out WasmBindgenVec result, input);
        return Take(host, result.Pointer, result.Length);
    }

    private static readonly ConditionalWeakTable<WasmHost, StrongBox<int>> s_encodings = new();

    private static WasmHostOptions TiktokenOptions()
    {
        var options = new WasmHostOptions();

        // The crate's own imports (JSON.parse and JSON.stringify for special-token sets): encode_ordinary never calls them.
        options.Imports.Define("./tiktoken_bg.js", "__wbg_parse_def2e24ef1252aff", new Func<int, int, int>((text, length) => throw new NotSupportedException("JSON.parse")));
        options.Imports.Define("./tiktoken_bg.js", "__wbg_stringify_f7ed6987935b4a24", new Func<int, int>(value => throw new NotSupportedException("JSON.stringify")));
        return options;
    }

    // tiktoken 1.0.22: mutated bytes read as UTF-8 (invalid sequences become U+FFFD) and encoded; at most one token per byte.
    private static CorpusFuzzTarget TiktokenTarget() => new("tiktoken", null, TiktokenOptions, _ => Texts(20000).Select(t => new CorpusSeed(t.Name, t.Bytes)).ToArray(), (host, input, seed, exact, clock) =>
    {
        var tiktoken = new Tiktoken(host);
        int encoding = Once(s_encodings, host, clock, () =>
        {
            tiktoken.GetEncoding(out WasmBindgenResult result, "r50k_base", Tiktoken.Undefined);
            return result.IsError == 0 ? result.Value : throw new WrongResultException("get_encoding(\"r50k_base\") returned an Err");
        });
        string text = Encoding.UTF8.GetString(input);
        clock.Start();
        uint[] tokens = tiktoken.EncodeOrdinary(encoding, text);
        clock.Stop();
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (tokens.Length > bytes || (bytes > 0) != (tokens.Length > 0) || tokens.Any(t => t >= 50257))
        {
            throw new WrongResultException($"{bytes} bytes of text became {tokens.Length} tokens, the largest {(tokens.Length == 0 ? 0 : tokens.Max())}");
        }

        return CorpusOutcome.Result;
    })
    {
        // get_encoding parses 50,257 ranks at a host's first request: about 150 ms alone, several times that under load.
        CallTimeout = TimeSpan.FromSeconds(3),

        // Its tables grow the memory, so WasmHostReuse.WhenClean replaces the host after every request and each one
        // pays get_encoding (30 ms or more): a tenth of the others' share keeps the default run near the others' time.
        InputShare = 0.1,
    };

    private static readonly ConditionalWeakTable<WasmHost, StrongBox<bool>> s_blake3Constructed = new();

    // blake3-wasm 3.0.0 (minified Emscripten, memory fixed at 16 MiB): every input hashed; a seed's hash is known.
    private static CorpusFuzzTarget Blake3Target() => new("blake3-wasm", Blake3Wasm.Contract, Blake3WasmTests.Options, host =>
    {
        new Blake3Wasm(host).CallConstructors();
        return Texts(20000).Select(t => new CorpusSeed(t.Name, t.Bytes, Encoding.ASCII.GetBytes(Blake3WasmTests.Hash(host, t.Bytes)))).ToArray();
    }, (host, input, seed, exact, clock) =>
    {
        Once(s_blake3Constructed, host, clock, () =>
        {
            new Blake3Wasm(host).CallConstructors();
            return true;
        });
        clock.Start();
        string hash = Blake3WasmTests.Hash(host, input);
        clock.Stop();
        if (exact && hash != Encoding.ASCII.GetString(seed.Plain!) || hash.Length != 64)
        {
            throw new WrongResultException($"hash {hash} of a seed whose hash is {Encoding.ASCII.GetString(seed.Plain!)}");
        }

        return CorpusOutcome.Result;
    });

    // farmhash-modern 1.1.0 (wasm-bindgen): every input fingerprinted twice, the two equal; a seed's fingerprint is known.
    private static CorpusFuzzTarget FarmHashTarget() => new("farmhash-modern", null, FarmHash.Options, host =>
        Texts(20000).Select(t => new CorpusSeed(t.Name, t.Bytes, BitConverter.GetBytes(new FarmHash(host).Fingerprint64(t.Bytes)))).ToArray(),
        (host, input, seed, exact, clock) =>
        {
            var farmhash = new FarmHash(host);
            clock.Start();
            long first = farmhash.Fingerprint64(input);
            long second = farmhash.Fingerprint64(input);
            clock.Stop();
            if (first != second || exact && first != BitConverter.ToInt64(seed.Plain!))
            {
                throw new WrongResultException($"fingerprints {first:X16} then {second:X16}");
            }

            return CorpusOutcome.Result;
        });
}
