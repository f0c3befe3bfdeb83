using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace WasmSharedMemory.BenchmarkReport;

/// <summary>
/// Reads one run of benchmarks/run.sh (BenchmarkDotNet's JSON, Node's and C's JSON, the machine description),
/// writes the tables and target ratios into docs/benchmarks.md between its result markers, the chart to a PNG,
/// and every number to a CSV.
/// </summary>
/// <remarks>Usage: <c>BenchmarkReport results-dir docs/benchmarks.md docs/benchmarks.png docs/benchmarks.csv</c>.</remarks>
public static class Program
{
    private const string BeginMarker = "<!-- results:begin (written by benchmarks/run.sh; edits here are lost) -->";
    private const string EndMarker = "<!-- results:end -->";

    private static readonly int[] Sizes = { 16, 1024, 65536, 1 << 20, 1 << 24 };

    /// <summary>The multiply rows, in table order, with the names the report shows.</summary>
    private static readonly (string Name, string Title)[] MultiplyColumns =
    {
        ("Library_Simd", "Library SIMD"),
        ("Library_Scalar", "Library scalar"),
        ("RawWasmtime_Simd", "Wasmtime delegate SIMD"),
        ("CopyInOut_Simd", "Copy in/out SIMD"),
        ("TensorPrimitives_Multiply", "TensorPrimitives"),
        ("PlainLoop", "C# loop"),
        ("Node_Simd", "Node SIMD"),
        ("Node_Scalar", "Node scalar"),
        ("C_O2", "C -O2"),
        ("C_O2_Vec128", "C -O2 vec128"),
    };

    /// <summary>
    /// The rows across two cores (issue 14), each with the one-thread row of <see cref="MultiplyColumns"/> it is
    /// the parallel form of: its speedup is taken over that row, and the chart draws it in that row's colour.
    /// </summary>
    private static readonly (string Name, string Title, string OneThread)[] ParallelColumns =
    {
        ("Library_Simd_Parallel2", "Library SIMD (Parallelism 2)", "Library_Simd"),
        ("C_O2_Threads2", "C -O2 (2 threads)", "C_O2"),
        ("C_O2_Vec128_Threads2", "C -O2 vec128 (2 threads)", "C_O2_Vec128"),
    };

    public static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: BenchmarkReport <results-dir> <benchmarks.md> <benchmarks.png> <benchmarks.csv>");
            return 2;
        }

        string results = args[0];
        var passes = new List<Row>();
        string[] passDirectories = Directory.GetDirectories(results, "pass*").OrderBy(d => d, StringComparer.Ordinal).ToArray();
        for (int pass = 1; pass <= passDirectories.Length; pass++)
        {
            passes.AddRange(ReadRun(passDirectories[pass - 1], pass));
        }

        passes.AddRange(ReadRun(Path.Combine(results, "cold"), 1));

        // Each row keeps its lowest pass median: load from other processes only ever adds time.
        var rows = passes.GroupBy(r => (r.Group, r.Name, r.N)).Select(g => g.MinBy(r => r.MedianNs)!).ToList();

        var machine = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(results, "machine.json")))
            ?? throw new InvalidDataException("machine.json is empty");
        var report = new Report(rows, passes, passDirectories.Length);

        string markdown = File.ReadAllText(args[1]);
        int begin = markdown.IndexOf(BeginMarker, StringComparison.Ordinal);
        int end = markdown.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            Console.Error.WriteLine($"{args[1]} has no result markers; add\n{BeginMarker}\n{EndMarker}");
            return 1;
        }

        string section = report.Markdown(machine, Path.GetFileName(args[2]));
        File.WriteAllText(args[1], markdown[..(begin + BeginMarker.Length)] + "\n" + section + markdown[end..]);
        report.Chart(args[2]);
        File.WriteAllText(args[3], report.Csv());
        Console.WriteLine($"BenchmarkReport: {rows.Count} results from {passDirectories.Length} passes -> {args[1]}, {args[2]}, {args[3]}");
        return 0;
    }

    /// <summary>Reads one directory of results: BenchmarkDotNet's under bdn/results, and the timers' JSON beside it.</summary>
    private static IEnumerable<Row> ReadRun(string directory, int pass)
    {
        string bdn = Path.Combine(directory, "bdn", "results");
        IEnumerable<string> bdnFiles = Directory.Exists(bdn) ? Directory.GetFiles(bdn, "*-report-brief.json") : Array.Empty<string>();
        IEnumerable<string> timerFiles = Directory.GetFiles(directory, "*.json");
        return bdnFiles.SelectMany(f => ReadBenchmarkDotNet(f, pass)).Concat(timerFiles.SelectMany(f => ReadTimer(f, pass)));
    }

    private static IEnumerable<Row> ReadBenchmarkDotNet(string file, int pass)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(file));
        foreach (JsonElement benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            if (!benchmark.TryGetProperty("Statistics", out JsonElement statistics) || statistics.ValueKind != JsonValueKind.Object)
            {
                continue; // a benchmark that failed has no statistics; the report shows it as missing
            }

            string parameters = benchmark.GetProperty("Parameters").GetString() ?? string.Empty;
            int? n = parameters.StartsWith("N=", StringComparison.Ordinal) ? int.Parse(parameters[2..], CultureInfo.InvariantCulture) : null;
            long? allocated = benchmark.TryGetProperty("Memory", out JsonElement memory) && memory.ValueKind == JsonValueKind.Object
                ? memory.GetProperty("BytesAllocatedPerOperation").GetInt64()
                : null;
            double[] values = statistics.GetProperty("OriginalValues").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            yield return new Row(
                benchmark.GetProperty("Type").GetString()!,
                benchmark.GetProperty("Method").GetString()!,
                n,
                statistics.GetProperty("Median").GetDouble(),
                statistics.GetProperty("Mean").GetDouble(),
                values.Min(),
                values.Max(),
                values.Length,
                allocated,
                "BenchmarkDotNet",
                pass);
        }
    }

    private static IEnumerable<Row> ReadTimer(string file, int pass)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(file));
        string runtime = json.RootElement.GetProperty("runtime").GetString()!;
        foreach (JsonElement result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            yield return new Row(
                "MultiplyBenchmarks",
                result.GetProperty("name").GetString()!,
                result.GetProperty("n").GetInt32(),
                result.GetProperty("medianNs").GetDouble(),
                result.GetProperty("meanNs").GetDouble(),
                double.NaN,
                double.NaN,
                result.GetProperty("batches").GetInt32(),
                null,
                runtime,
                pass);
        }
    }

    /// <summary>Formats nanoseconds with the unit that keeps three significant digits readable.</summary>
    private static string Time(double ns) => ns switch
    {
        double.NaN => "—",
        < 1_000 => ns.ToString(ns < 10 ? "0.00" : ns < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => Scaled(ns / 1_000) + " µs",
        _ => Scaled(ns / 1_000_000) + " ms",
    };

    private static string Scaled(double value) =>
        value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Size(int n) => n switch
    {
        >= 1 << 20 => $"{n >> 20}M",
        >= 1024 => $"{n >> 10}K",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>One measured result: a median per call, in nanoseconds.</summary>
    private sealed record Row(string Group, string Name, int? N, double MedianNs, double MeanNs, double MinNs, double MaxNs, int Samples, long? AllocatedBytes, string Source, int Pass);

    private sealed class Report
    {
        private readonly List<Row> _rows;
        private readonly List<Row> _passes;
        private readonly int _passCount;

        /// <param name="rows">The row reported for each benchmark: its best pass.</param>
        /// <param name="passes">Every pass's rows, for the CSV.</param>
        /// <param name="passCount">How many passes ran.</param>
        public Report(List<Row> rows, List<Row> passes, int passCount)
        {
            _rows = rows;
            _passes = passes;
            _passCount = passCount;
        }

        public string Markdown(Dictionary<string, string> machine, string chartFile)
        {
            var md = new StringBuilder();
            md.AppendLine();
            md.AppendLine($"Run of {machine.GetValueOrDefault("date", "?")} on {machine.GetValueOrDefault("cpu", "?")} " +
                $"({machine.GetValueOrDefault("nproc", "?")} cores), {machine.GetValueOrDefault("dotnet", "?")}, " +
                $"{machine.GetValueOrDefault("node", "?")}, {machine.GetValueOrDefault("cc", "?")}. " +
                $"Load average {machine.GetValueOrDefault("loadBefore", "?")} before the run, {machine.GetValueOrDefault("loadAfter", "?")} after. " +
                $"Command: `{machine.GetValueOrDefault("command", "bash benchmarks/run.sh")}`.");
            if (machine.TryGetValue("note", out string? note) && note.Length > 0)
            {
                md.AppendLine();
                md.AppendLine($"**Note:** {note}");
            }

            md.AppendLine();
            md.AppendLine("Every time is a **median per call**: BenchmarkDotNet's median over its iterations; for Node and C the median of");
            md.AppendLine($"15 timed batches of at least 100 ms each, after 500 ms of warm-up. The suite ran in {_passCount} pass(es) spread over the run,");
            md.AppendLine("and each number is the lowest of its pass medians (load from other processes only adds time; every pass is in");
            md.AppendLine("[benchmarks.csv](benchmarks.csv)). All ratios are taken within this one run.");
            md.AppendLine();
            AppendTargets(md, "Targets", Targets());
            AppendTargets(md, "Targets across two cores (issue 14)", ParallelTargets());
            md.AppendLine("### Multiply, N floats: median time per call");
            md.AppendLine();
            md.AppendLine("| N | " + string.Join(" | ", MultiplyColumns.Select(c => c.Title)) + " |");
            md.AppendLine("|---:|" + string.Concat(MultiplyColumns.Select(_ => "---:|")));
            foreach (int n in Sizes)
            {
                md.AppendLine($"| {Size(n)} | " + string.Join(" | ", MultiplyColumns.Select(c => Time(Median("MultiplyBenchmarks", c.Name, n)))) + " |");
            }

            md.AppendLine();
            md.AppendLine("### Multiply across two cores: median time per call, and speedup over one thread");
            md.AppendLine();
            md.AppendLine("| N | " + string.Join(" | ", ParallelColumns.Select(c => $"{c.Title} | speedup over {Title(c.OneThread)}")) + " |");
            md.AppendLine("|---:|" + string.Concat(ParallelColumns.Select(_ => "---:|---:|")));
            foreach (int n in Sizes)
            {
                md.AppendLine($"| {Size(n)} | " + string.Join(" | ", ParallelColumns.Select(c =>
                {
                    double parallel = Median("MultiplyBenchmarks", c.Name, n);
                    return $"{Time(parallel)} | {Ratio(Median("MultiplyBenchmarks", c.OneThread, n) / parallel)}";
                })) + " |");
            }

            md.AppendLine();
            md.AppendLine("Managed bytes allocated per call: " + string.Join(", ", AllColumns()
                .Where(c => Find("MultiplyBenchmarks", c.Name, Sizes[0]) is { AllocatedBytes: not null })
                .Select(c => $"{c.Title} {AllocationRange("MultiplyBenchmarks", c.Name)}")) + " (over all N).");
            md.AppendLine();
            md.AppendLine($"![Multiply: time per element against N]({chartFile})");
            md.AppendLine();
            AppendGroup(md, "Call overhead (16 floats, and no work at all)", "CallOverheadBenchmarks");
            AppendGroup(md, "Span access (get the view, touch two elements of 1024)", "SpanAccessBenchmarks");
            AppendGroup(md, "Load + Dispose once the module is compiled (warm)", "LoadBenchmarks");
            AppendGroup(md, "First Load in a process (cold: one call in each of 10 fresh processes)", "ColdLoadBenchmarks", showRange: true);
            return md.ToString();
        }

        public string Csv()
        {
            var csv = new StringBuilder("group,name,n,pass,reported,median_ns,mean_ns,samples,allocated_bytes,source\n");
            foreach (Row row in _passes.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.N).ThenBy(r => r.Pass))
            {
                csv.AppendLine(string.Join(",",
                    row.Group,
                    row.Name,
                    row.N?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    row.Pass.ToString(CultureInfo.InvariantCulture),
                    _rows.Contains(row) ? "yes" : "no",
                    row.MedianNs.ToString("0.###", CultureInfo.InvariantCulture),
                    row.MeanNs.ToString("0.###", CultureInfo.InvariantCulture),
                    row.Samples.ToString(CultureInfo.InvariantCulture),
                    row.AllocatedBytes?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    $"\"{row.Source}\""));
            }

            return csv.ToString();
        }

        public void Chart(string path)
        {
            var plot = new Plot();
            var palette = new ScottPlot.Palettes.Category10();
            foreach ((string name, string title) in AllColumns())
            {
                var points = Sizes.Select(n => (N: n, Ns: Median("MultiplyBenchmarks", name, n))).Where(p => !double.IsNaN(p.Ns)).ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                // Log-log: x is log2 N, y is log10 of nanoseconds per element.
                var scatter = plot.Add.Scatter(
                    points.Select(p => Math.Log2(p.N)).ToArray(),
                    points.Select(p => Math.Log10(p.Ns / p.N)).ToArray());
                scatter.LegendText = title;
                scatter.LineWidth = name.StartsWith("Library", StringComparison.Ordinal) ? 3 : 1.5f;
                scatter.MarkerSize = 6;

                // A row across two cores takes its one-thread row's colour, dotted and with open square markers.
                string oneThread = ParallelColumns.FirstOrDefault(c => c.Name == name).OneThread ?? name;
                scatter.Color = palette.GetColor(Array.FindIndex(MultiplyColumns, c => c.Name == oneThread));
                if (oneThread != name)
                {
                    scatter.LinePattern = LinePattern.Dotted;
                    scatter.MarkerShape = MarkerShape.OpenSquare;
                }
                else if (name.StartsWith("C_", StringComparison.Ordinal) || name.StartsWith("Node", StringComparison.Ordinal))
                {
                    scatter.LinePattern = LinePattern.Dashed;
                }
            }

            plot.Title("Element-wise float multiply: time per element (lower is better)");
            plot.XLabel("N floats per operand");
            plot.YLabel("ns per element (log)");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Sizes.Select(n => Math.Log2(n)).ToArray(), Sizes.Select(Size).ToArray());
            var minor = new ScottPlot.TickGenerators.LogMinorTickGenerator();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = minor,
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("0.###", CultureInfo.InvariantCulture),
            };
            plot.Grid.MinorLineWidth = 1;
            plot.ShowLegend(Edge.Right);
            plot.SavePng(path, 1100, 650);
        }

        private IEnumerable<(string Target, string Measured, bool? Met)> Targets()
        {
            double lib16M = Median("MultiplyBenchmarks", "Library_Simd", 1 << 24);
            double cVec = Median("MultiplyBenchmarks", "C_O2_Vec128", 1 << 24);
            double cPlain = Median("MultiplyBenchmarks", "C_O2", 1 << 24);
            double floor = Floor(1 << 24, threads: 1);
            yield return (
                "16M floats: SIMD `Multiply` within 5% of the C normal-store floor",
                $"{Time(lib16M)} vs floor {Time(floor)} (C -O2 vec128 {Time(cVec)}, plain C -O2 {Time(cPlain)}): {Ratio(lib16M / floor)} the floor, {Ratio(lib16M / cPlain)} plain -O2",
                lib16M <= floor * 1.05);

            foreach (int n in new[] { 1 << 16, 1 << 20 })
            {
                double lib = Median("MultiplyBenchmarks", "Library_Simd", n);
                double node = Median("MultiplyBenchmarks", "Node_Simd", n);
                yield return ($"{Size(n)} floats: SIMD `Multiply` at least as fast as Node on the same .wasm", $"{Time(lib)} vs {Time(node)}: {Ratio(lib / node)}", lib <= node);
            }

            double lib1M = Median("MultiplyBenchmarks", "Library_Simd", 1 << 20);
            double tensor = Median("MultiplyBenchmarks", "TensorPrimitives_Multiply", 1 << 20);
            yield return ("1M floats: SIMD `Multiply` at least as fast as `TensorPrimitives.Multiply`", $"{Time(lib1M)} vs {Time(tensor)}: {Ratio(lib1M / tensor)}", lib1M <= tensor);

            double simd64K = Median("MultiplyBenchmarks", "Library_Simd", 1 << 16);
            double scalar64K = Median("MultiplyBenchmarks", "Library_Scalar", 1 << 16);
            yield return ("64K floats: SIMD at least 3× scalar", $"scalar {Time(scalar64K)} / SIMD {Time(simd64K)} = {Ratio(scalar64K / simd64K)}", scalar64K >= 3 * simd64K);

            double library16 = Median("CallOverheadBenchmarks", "Library_16", null);
            double raw16 = Median("CallOverheadBenchmarks", "RawWasmtime_16", null);
            double libraryN16 = Median("MultiplyBenchmarks", "Library_Simd", 16);
            double rawN16 = Median("MultiplyBenchmarks", "RawWasmtime_Simd", 16);
            yield return (
                "16 floats: `Multiply` no slower than the raw typed-delegate call (issue 18)",
                $"{Time(library16)} vs {Time(raw16)}: {Signed(library16 - raw16)} (in the Multiply group: {Time(libraryN16)} vs {Time(rawN16)}, {Signed(libraryN16 - rawN16)})",
                library16 <= raw16);

            double span = Median("SpanAccessBenchmarks", "Library_Span", null);
            double array = Median("SpanAccessBenchmarks", "Array_Span", null);
            double getSpan = Median("SpanAccessBenchmarks", "RawWasmtime_GetSpan", null);
            yield return (
                "`Span` access with no native call",
                $"{Time(span)}, next to a managed array's {Time(array)}; Wasmtime's `Memory.GetSpan`, which calls into the engine, {Time(getSpan)}",
                span < getSpan / 3);

            var libraryRows = _rows.Where(r => (r.Group == "MultiplyBenchmarks" && r.Name.StartsWith("Library", StringComparison.Ordinal))
                || (r.Group == "CallOverheadBenchmarks" && r.Name.StartsWith("Library", StringComparison.Ordinal))
                || (r.Group == "SpanAccessBenchmarks" && r.Name == "Library_Span")).ToList();
            long maxAllocated = libraryRows.Max(r => r.AllocatedBytes ?? long.MaxValue);
            yield return (
                "0 bytes allocated per `Multiply` and per `Span` access",
                $"at most {maxAllocated} B over {libraryRows.Count} library rows (every N, both builds, Parallelism 2, span)",
                maxAllocated == 0);

            double warm = Median("LoadBenchmarks", "Load_Warm_Simd", null);
            yield return ("Warm `Load` (+ `Dispose`) under 1 ms", $"SIMD {Time(warm)}, scalar {Time(Median("LoadBenchmarks", "Load_Warm_Scalar", null))}", warm < 1_000_000);
            Row? cold = Find("ColdLoadBenchmarks", "Load_Cold_Simd", null);
            yield return ("Cold `Load` (first in a process, compiles the SIMD build)", cold is null ? "—" : $"median {Time(cold.MedianNs)} ({Time(cold.MinNs)}–{Time(cold.MaxNs)} over {cold.Samples} processes)", null);
        }

        /// <summary>
        /// Issue 14's targets: Parallelism = 2 against Parallelism = 1 (faster where the work is large, no slower
        /// where it is not), against the same C loop on two threads, and against Node and TensorPrimitives.
        /// </summary>
        private IEnumerable<(string Target, string Measured, bool? Met)> ParallelTargets()
        {
            foreach (int n in new[] { 1 << 20, 1 << 24 })
            {
                double one = Median("MultiplyBenchmarks", "Library_Simd", n);
                double two = Median("MultiplyBenchmarks", "Library_Simd_Parallel2", n);
                yield return (
                    $"{Size(n)} floats: `Parallelism = 2` at least 1.7× faster than `Parallelism = 1`",
                    $"{Time(one)} / {Time(two)} = {Ratio(one / two)}",
                    one >= 1.7 * two);
            }

            foreach (int n in new[] { 16, 1024 })
            {
                double one = Median("MultiplyBenchmarks", "Library_Simd", n);
                double two = Median("MultiplyBenchmarks", "Library_Simd_Parallel2", n);
                yield return (
                    $"{Size(n)} floats: `Parallelism = 2` no slower than 1.1× `Parallelism = 1`",
                    $"{Time(two)} vs {Time(one)}: {Ratio(two / one)}",
                    two <= 1.1 * one);
            }

            double library16M = Median("MultiplyBenchmarks", "Library_Simd_Parallel2", 1 << 24);
            double vecTwo = Median("MultiplyBenchmarks", "C_O2_Vec128_Threads2", 1 << 24);
            double plainTwo = Median("MultiplyBenchmarks", "C_O2_Threads2", 1 << 24);
            double floorTwo = Floor(1 << 24, threads: 2);
            double floorOne = Floor(1 << 24, threads: 1);
            yield return (
                "16M floats: `Parallelism = 2` within 1.15× of the same C loop on two threads (the two-core floor)",
                $"{Time(library16M)} vs two-core floor {Time(floorTwo)} (C -O2 vec128 {Time(vecTwo)}, plain C -O2 {Time(plainTwo)}, " +
                $"both on 2 threads): {Ratio(library16M / floorTwo)}; beside the single-core floor {Time(floorOne)}, " +
                $"which two C threads beat by {Ratio(floorOne / floorTwo)}",
                library16M <= 1.15 * floorTwo);

            foreach (int n in new[] { 1 << 20, 1 << 24 })
            {
                double library = Median("MultiplyBenchmarks", "Library_Simd_Parallel2", n);
                foreach ((string name, string title) in new[] { ("Node_Simd", "Node on the same .wasm"), ("TensorPrimitives_Multiply", "`TensorPrimitives.Multiply`") })
                {
                    double other = Median("MultiplyBenchmarks", name, n);
                    yield return ($"{Size(n)} floats: `Parallelism = 2` faster than {title}", $"{Time(library)} vs {Time(other)}: {Ratio(library / other)}", library < other);
                }
            }
        }

        private static void AppendTargets(StringBuilder md, string title, IEnumerable<(string Target, string Measured, bool? Met)> targets)
        {
            md.AppendLine($"### {title}");
            md.AppendLine();
            md.AppendLine("| Target | Measured in this run | |");
            md.AppendLine("|---|---|---|");
            foreach ((string target, string measured, bool? met) in targets)
            {
                md.AppendLine($"| {target} | {measured} | {(met is null ? "stated" : met.Value ? "**met**" : "**missed**")} |");
            }

            md.AppendLine();
        }

        private void AppendGroup(StringBuilder md, string title, string group, bool showRange = false)
        {
            var rows = _rows.Where(r => r.Group == group).ToList();
            if (rows.Count == 0)
            {
                return;
            }

            md.AppendLine($"### {title}");
            md.AppendLine();
            md.AppendLine(showRange ? "| Method | Median | Min – max | Allocated |" : "| Method | Median | Allocated |");
            md.AppendLine(showRange ? "|---|---:|---:|---:|" : "|---|---:|---:|");
            foreach (Row row in rows)
            {
                string allocated = row.AllocatedBytes is { } bytes ? $"{bytes} B" : "—";
                md.AppendLine(showRange
                    ? $"| {row.Name} | {Time(row.MedianNs)} | {Time(row.MinNs)} – {Time(row.MaxNs)} | {allocated} |"
                    : $"| {row.Name} | {Time(row.MedianNs)} | {allocated} |");
            }

            md.AppendLine();
        }

        private string AllocationRange(string group, string name)
        {
            var bytes = _rows.Where(r => r.Group == group && r.Name == name && r.AllocatedBytes is not null).Select(r => r.AllocatedBytes!.Value).ToList();
            return bytes.Min() == bytes.Max() ? $"{bytes.Min()} B" : $"{bytes.Min()}–{bytes.Max()} B";
        }

        /// <summary>Every row of the multiply chart: the one-thread columns, then the rows across two cores.</summary>
        private static IEnumerable<(string Name, string Title)> AllColumns() =>
            MultiplyColumns.Concat(ParallelColumns.Select(c => (c.Name, c.Title)));

        private static string Title(string name) => MultiplyColumns.First(c => c.Name == name).Title;

        /// <summary>The C floor on one or two threads: the faster of the plain -O2 and the vec128 build.</summary>
        private double Floor(int n, int threads)
        {
            string suffix = threads == 1 ? string.Empty : $"_Threads{threads}";
            return Math.Min(Median("MultiplyBenchmarks", "C_O2" + suffix, n), Median("MultiplyBenchmarks", "C_O2_Vec128" + suffix, n));
        }

        private static string Signed(double ns) => (ns >= 0 ? "+" : "−") + Time(Math.Abs(ns));

        private Row? Find(string group, string name, int? n) =>
            _rows.FirstOrDefault(r => r.Group == group && r.Name == name && r.N == n);

        private double Median(string group, string name, int? n) => Find(group, name, n)?.MedianNs ?? double.NaN;
    }
}
