using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Hostile polls against the host's <c>poll_oneoff</c>: random subscription counts, tags, clock ids, flags, timeouts
/// (up to u64 max), descriptors and pointers (misaligned, at the end of memory). Every poll ends by its deadline, with a
/// documented errno or exception, and events only for subscriptions it was given.
/// </summary>
public sealed class WasiPollFuzzTests : LeakCheckedTests
{
    // WSM_POLL_FUZZ sets the count for a long run.
    private static readonly int s_polls = int.TryParse(Environment.GetEnvironmentVariable("WSM_POLL_FUZZ"), out int polls) ? polls : 200;
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void RandomPolls_EndByTheDeadlineWithADocumentedOutcome()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        WasmHost? host = null;
        try
        {
            for (int poll = 0; poll < s_polls; poll++)
            {
                host ??= Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = s_timeout }));
                string outcome = PollOnce(host, random, $"seed {seed}, poll {poll}");
                outcomes[outcome] = outcomes.TryGetValue(outcome, out int n) ? n + 1 : 1;
                if (host.IsFaulted)
                {
                    host.Dispose();
                    host = null;
                }
            }
        }
        finally
        {
            host?.Dispose();
        }

        Console.WriteLine($"{s_polls} polls (seed {seed}): {string.Join(", ", outcomes)}");
        Assert.True(outcomes.ContainsKey("errno 0"), "no poll succeeded: the generator is off");
    }

    private static string PollOnce(WasmHost host, Random random, string where)
    {
        int count = new[] { 0, 1, 1, 2, 3, 5 }[random.Next(6)];
        int subscriptions = random.Next(10) == 0 ? 65536 - (48 * Math.Max(count, 1)) + (8 * random.Next(2)) : 4096 + (random.Next(4) == 0 ? 4 : 0);
        int events = random.Next(10) == 0 ? 65536 - 16 : 8192 + (random.Next(8) == 0 ? 4 : 0);
        var userdata = new HashSet<long>();
        bool inBounds = subscriptions + (48L * count) <= 65536;
        for (int i = 0; i < count && inBounds; i++)
        {
            Span<byte> s = host.Memory.GetSpan<byte>((uint)(subscriptions + (48 * i)), 48);
            random.NextBytes(s);
            long data = BinaryPrimitives.ReadInt64LittleEndian(s);
            userdata.Add(data);
            s[8] = new byte[] { 0, 0, 0, 1, 2, 3, 255 }[random.Next(7)];
            BinaryPrimitives.WriteInt32LittleEndian(s.Slice(16), new[] { 0, 1, 1, 2, 3, 99 }[random.Next(6)]);
            ulong timeout = random.Next(6) switch
            {
                0 => 0,
                1 => 1_000_000,
                2 => 5_000_000,
                3 => 365UL * 24 * 3600 * 1_000_000_000,
                4 => ulong.MaxValue,
                _ => (ulong)random.NextInt64(),
            };
            BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(24), timeout);
            BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(40), (ushort)(random.Next(3) == 0 ? random.Next(65536) : random.Next(2)));
        }

        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            int errno = host.GetFunction<int, int, int, int>("poll_at")(subscriptions, events, count);
            outcome = $"errno {errno}";
            Assert.True(errno is 0 or 8 or 28, $"{where}: errno {errno}");
            if (errno == 0)
            {
                int n = host.GetFunction<int>("nevents")();
                Assert.True(n >= 1 && n <= count, $"{where}: {n} events for {count} subscriptions");
                for (int i = 0; i < n; i++)
                {
                    long data = BinaryPrimitives.ReadInt64LittleEndian(host.Memory.GetSpan<byte>((uint)(events + (32 * i)), 8));
                    Assert.True(userdata.Contains(data), $"{where}: event {i} has userdata {data} of no subscription");
                }
            }
        }
        catch (WasmTrapException ex)
        {
            // Only what Wasmtime's own poll_oneoff traps on: a pointer outside memory or misaligned for its type.
            bool badPointers = subscriptions % 8 != 0 || events % 8 != 0 || !inBounds || events + (32L * count) > 65536;
            Assert.True(count > 0 && badPointers, $"{where}: trapped with pointers that are fine: {ex.Message}");
            outcome = "trap";
        }
        catch (TimeoutException)
        {
            outcome = "timeout";
        }

        Assert.True(watch.Elapsed < s_timeout + TimeSpan.FromMilliseconds(900), $"{where}: the poll took {watch.Elapsed.TotalMilliseconds:0} ms");
        return outcome;
    }
}
