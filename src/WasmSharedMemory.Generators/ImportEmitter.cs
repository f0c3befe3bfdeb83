using System.Collections.Generic;

namespace WasmSharedMemory.Generators;

/// <summary>Writes a binding's imports: <c>DefineImports</c> and the callbacks it registers.</summary>
internal static class ImportEmitter
{
    /// <summary>Writes <c>DefineImports</c> and one callback per import, each reading Wasmtime's arguments and calling the user's method.</summary>
    public static void Emit(ImportModel[] imports, List<string> lines)
    {
        lines.Add(string.Empty);
        lines.Add("/// <summary>Defines the host functions this class declares with <c>[WasmImport]</c> in <paramref name=\"imports\"/>; call it before loading the module.</summary>");
        lines.Add("/// <param name=\"imports\">The set to define them in, usually <c>WasmHostOptions.Imports</c>.</param>");
        lines.Add("/// <exception cref=\"global::System.ArgumentException\">One of them is already defined in <paramref name=\"imports\"/>.</exception>");
        lines.Add(SourceEmitter.GeneratedCode);
        lines.Add("public static void DefineImports(global::WasmSharedMemory.WasmImports imports)");
        lines.Add("{");
        for (int i = 0; i < imports.Length; i++)
        {
            ImportModel import = imports[i];
            lines.Add($"    {SourceEmitter.Bindings}.WasmImportDefinitions.Define(imports, {SourceEmitter.Literal(import.Module)}, {SourceEmitter.Literal(import.Name)}, {SourceEmitter.Literal(import.Signature)}, new {SourceEmitter.Bindings}.WasmImportCallback(__WasmImport{i}));");
        }

        lines.Add("}");
        for (int i = 0; i < imports.Length; i++)
        {
            ImportModel import = imports[i];
            int index = 0;
            var arguments = new List<string>();
            foreach (ValueModel p in import.Parameters)
            {
                arguments.Add(p.Marshal == Marshal.Memory ? "frame.Memory" : Conversions.FromWasm($"frame.{Conversions.Reader(p.Wasm)}({index++})", p));
            }

            string invoke = $"{import.MethodName}({string.Join(", ", arguments)})";
            lines.Add(string.Empty);
            lines.Add($"private static void __WasmImport{i}(ref {SourceEmitter.Bindings}.WasmImportFrame frame)");
            lines.Add("{");
            if (import.Result is null)
            {
                lines.Add($"    {invoke};");
            }
            else
            {
                lines.Add($"    {import.Result.Type} __result = {invoke};");
                lines.Add($"    frame.Return({Conversions.ToWasm("__result", import.Result)});");
            }

            lines.Add("}");
        }
    }
}
