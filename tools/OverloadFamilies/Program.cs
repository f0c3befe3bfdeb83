using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OverloadFamilies;

/// <summary>
/// Generates the arity families of the public API: <c>WasmHost.GetAction</c>/<c>GetFunction</c> (0 to 8 parameters,
/// with and without a <c>CancellationToken</c>) and <c>WasmImports.Define</c> (0 to 8 wasm parameters after an optional
/// leading <c>GuestMemory</c>), each a thin face over one generic core. The doc comments are written here once; the
/// types they list are read from the value table, so a new row shows in every overload's docs.
/// </summary>
internal static class Program
{
    /// <summary>The most wasm parameters; keep equal to <c>WasmSignature.MaxParameters</c>.</summary>
    private const int MaxParameters = 8;

    // Generated code names every type by its namespace, so it needs no using directives.
    private const string NoneType = "Internals.Calls.None";

    private const string TablePath = "src/WasmSharedMemory/Internals/Calls/WasmTypes.cs";

    private static readonly string[] s_ordinals = { "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth" };

    private static int Main(string[] args)
    {
        bool check = args.Contains("--check");
        if (args.Any(a => a != "--check"))
        {
            Console.Error.WriteLine("usage: dotnet run --project tools/OverloadFamilies [-- --check]");
            return 2;
        }

        string root = FindRoot();
        string types = ScalarList(File.ReadAllText(Path.Combine(root, TablePath)));

        // Split by arity, each file both families: one file of 8 parameters is over the 300 lines a file may have.
        // Imports go to one more than MaxParameters: a leading GuestMemory takes no wasm parameter.
        var files = new Dictionary<string, string>
        {
            ["src/WasmSharedMemory/WasmHost.Exports.Arity0To4.g.cs"] = Family("WasmHost", "GetAction and GetFunction", 0, 4, (t, s) => Export(t, types, s)),
            ["src/WasmSharedMemory/WasmHost.Exports.Arity5To8.g.cs"] = Family("WasmHost", "GetAction and GetFunction", 5, MaxParameters, (t, s) => Export(t, types, s)),
            ["src/WasmSharedMemory/WasmImports.Define.Arity0To4.g.cs"] = Family("WasmImports", "Define", 0, 4, (t, s) => Import(t, types, s)),
            ["src/WasmSharedMemory/WasmImports.Define.Arity5To9.g.cs"] = Family("WasmImports", "Define", 5, MaxParameters + 1, (t, s) => Import(t, types, s)),
        };

        int stale = 0;
        foreach ((string relative, string generated) in files)
        {
            // The same bytes on every OS: the check compares them with the committed files.
            string text = generated.Replace("\r\n", "\n");
            string path = Path.Combine(root, relative);
            bool current = File.Exists(path) && File.ReadAllText(path).Replace("\r\n", "\n") == text;
            if (current)
            {
                continue;
            }

            if (check)
            {
                Console.Error.WriteLine($"{relative} is stale: run `dotnet run --project tools/OverloadFamilies` and commit the result.");
                stale++;
            }
            else
            {
                File.WriteAllText(path, text);
                Console.WriteLine($"wrote {relative}");
            }
        }

        if (check && stale == 0)
        {
            Console.WriteLine($"{files.Count} generated overload files are up to date.");
        }

        return stale == 0 ? 0 : 1;
    }

    /// <summary>The repository root: the nearest folder up from here that holds WasmSharedMemory.sln.</summary>
    private static string FindRoot()
    {
        for (string? dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "WasmSharedMemory.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Run from inside the repository: no WasmSharedMemory.sln above the current folder.");
    }

    /// <summary>The table's scalar rows as docs list them: <c>&lt;see cref="sbyte"/&gt;, …</c>, in table order.</summary>
    private static string ScalarList(string table)
    {
        string[] names = Regex.Matches(table, @"new\(typeof\((\w+)\), ValueKind\.\w+, ""(\w+)""").Select(m => m.Groups[2].Value).ToArray();
        if (names.Length == 0)
        {
            throw new InvalidOperationException($"No rows found in {TablePath}.");
        }

        return string.Join(", ", names.Select(n => $"<see cref=\"{n}\"/>"));
    }

    /// <summary>One generated file: the overloads of <paramref name="from"/> to <paramref name="to"/> parameters, each arity's <c>Action</c> then <c>Func</c>.</summary>
    private static string Family(string type, string members, int from, int to, Action<StringBuilder, Shape> overload)
    {
        var text = new StringBuilder();
        text.AppendLine("// <auto-generated/>");
        text.AppendLine($"// {members} of {from} to {to} parameters. Generated by tools/OverloadFamilies from its templates and the rows of");
        text.AppendLine("// Internals/Calls/WasmTypes.cs; do not edit. Regenerate with `dotnet run --project tools/OverloadFamilies`.");
        text.AppendLine("#nullable enable");
        text.AppendLine();
        text.AppendLine("namespace WasmSharedMemory;");
        text.AppendLine();
        text.AppendLine($"public partial class {type}");
        text.AppendLine("{");
        for (int arity = from; arity <= to; arity++)
        {
            overload(text, new Shape(arity, Function: false));
            text.AppendLine();
            overload(text, new Shape(arity, Function: true));
            if (arity < to)
            {
                text.AppendLine();
            }
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static void Export(StringBuilder text, string types, Shape shape)
    {
        string method = (shape.Function ? "GetFunction" : "GetAction") + shape.TypeList;
        string summary = $"Gets a guarded delegate for the exported function that returns {shape.Returns}";
        for (int token = 0; token < 2; token++)
        {
            text.AppendLine(token == 0
                ? $"    /// <summary>{summary}.</summary>"
                : $"    /// <summary>{summary}, whose calls stop when <paramref name=\"cancellationToken\"/> is canceled.</summary>");
            for (int i = 0; i < shape.Arity; i++)
            {
                text.AppendLine($"    /// <typeparam name=\"T{i + 1}\">The {s_ordinals[i]} parameter's type: {types}, or a <see cref=\"WasmBuffer{{T}}\"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>");
            }

            if (shape.Function)
            {
                text.AppendLine($"    /// <typeparam name=\"TResult\">The result's type: {types}. A type narrower than <c>i32</c> keeps the result's low bits, as a C cast does; a <see cref=\"bool\"/> is true for any non-zero result.</typeparam>");
            }

            text.AppendLine("    /// <param name=\"name\">The export's name.</param>");
            if (token == 1)
            {
                text.AppendLine("    /// <param name=\"cancellationToken\">Checked before each call and every <see cref=\"InterruptCheckInterval\"/> during it; a call it stops throws <see cref=\"System.OperationCanceledException\"/> and faults the host.</param>");
            }

            text.AppendLine("    /// <returns>A delegate whose calls are serialized and guarded; see <see cref=\"WasmHost\"/>.</returns>");
            text.AppendLine("    /// <exception cref=\"WasmContractException\">The module has no such export, or its signature differs; the message gives both.</exception>");
            text.AppendLine("    /// <exception cref=\"System.NotSupportedException\">A type argument cannot cross into WebAssembly.</exception>");
            text.AppendLine("    /// <exception cref=\"System.ObjectDisposedException\">The host has been disposed.</exception>");
            if (token == 0)
            {
                text.AppendLine($"    public {shape.Delegate} {method}(string name) => {method}(name, System.Threading.CancellationToken.None);");
                text.AppendLine();
                continue;
            }

            string lambda = shape.Arity == 1 ? "a1" : $"({string.Join(", ", shape.Arguments)})";
            text.AppendLine($"    public {shape.Delegate} {method}(string name, System.Threading.CancellationToken cancellationToken)");
            text.AppendLine("    {");
            text.AppendLine($"        var export = Bind<{shape.Core(MaxParameters)}>(name, cancellationToken);");
            text.AppendLine($"        return {lambda} => export.Call({string.Join(", ", Pad(shape.Arguments, MaxParameters, "default"))});");
            text.AppendLine("    }");
        }
    }

    private static void Import(StringBuilder text, string types, Shape shape)
    {
        text.AppendLine($"    /// <summary>Defines a host function that returns {shape.Returns}, for the module import <paramref name=\"module\"/>.<paramref name=\"name\"/>.</summary>");
        for (int i = 0; i < shape.Arity; i++)
        {
            string which = i == 0
                ? $"The first parameter's type: <see cref=\"GuestMemory\"/> (the calling module's memory, taking no wasm parameter), {types}"
                : i == MaxParameters
                    ? $"The {s_ordinals[i]} parameter's type, allowed only after a leading <see cref=\"GuestMemory\"/>: {types}"
                    : $"The {s_ordinals[i]} parameter's type: {types}";
            text.AppendLine($"    /// <typeparam name=\"T{i + 1}\">{which}. A type narrower than <c>i32</c> receives the argument's low bits, as a C cast does; a <see cref=\"bool\"/> is true for any non-zero argument.</typeparam>");
        }

        if (shape.Function)
        {
            text.AppendLine($"    /// <typeparam name=\"TResult\">The result's type: {types}; of any other type the result is dropped and the import returns nothing.</typeparam>");
        }

        text.AppendLine("    /// <param name=\"module\">The import's module name, such as <c>env</c>.</param>");
        text.AppendLine("    /// <param name=\"name\">The import's name.</param>");
        text.AppendLine("    /// <param name=\"callback\">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref=\"WasmImports\"/>.</param>");
        text.AppendLine("    /// <exception cref=\"System.ArgumentNullException\"><paramref name=\"module\"/>, <paramref name=\"name\"/> or <paramref name=\"callback\"/> is <see langword=\"null\"/>.</exception>");
        text.AppendLine("    /// <exception cref=\"System.ArgumentException\"><paramref name=\"module\"/> or <paramref name=\"name\"/> is empty, <paramref name=\"module\"/> is WASI's, or a function is already defined by that name.</exception>");
        text.AppendLine($"    /// <exception cref=\"System.NotSupportedException\">A parameter type cannot cross from WebAssembly, <see cref=\"GuestMemory\"/> is not the first parameter, or there are more than {MaxParameters} other parameters.</exception>");

        string lambda = $"({string.Join(", ", Pad(shape.Arguments, MaxParameters + 1, "_"))})";
        string call = $"c({string.Join(", ", shape.Arguments)})";
        text.AppendLine($"    public void Define{shape.TypeList}(string module, string name, {shape.Delegate} callback) =>");
        text.AppendLine($"        Add(module, name, callback, c => new Internals.Imports.HostFunction<{shape.Core(MaxParameters + 1)}>({lambda} => {(shape.Function ? call : $"{{ {call}; return default; }}")}));");
    }

    private static IEnumerable<string> Pad(string[] items, int count, string filler) =>
        items.Concat(Enumerable.Repeat(filler, count - items.Length));

    /// <summary>One overload's shape: how many parameters, and whether it returns a value (a <c>Func</c>) or not (an <c>Action</c>).</summary>
    private sealed record Shape(int Arity, bool Function)
    {
        public string[] Parameters { get; } = Enumerable.Range(1, Arity).Select(i => $"T{i}").ToArray();

        public string[] Arguments { get; } = Enumerable.Range(1, Arity).Select(i => $"a{i}").ToArray();

        public string TypeList
        {
            get
            {
                string[] generics = Function ? Parameters.Append("TResult").ToArray() : Parameters;
                return generics.Length == 0 ? string.Empty : $"<{string.Join(", ", generics)}>";
            }
        }

        public string Delegate => (Function ? "System.Func" : "System.Action") + TypeList;

        public string Returns => Function ? "a value" : "nothing";

        /// <summary>The generic core's type arguments: the parameters, <c>None</c> up to <paramref name="positions"/>, then the result or <c>None</c>.</summary>
        public string Core(int positions) => string.Join(", ", Pad(Parameters, positions, NoneType).Append(Function ? "TResult" : NoneType));
    }
}
