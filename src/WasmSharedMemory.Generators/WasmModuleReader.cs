using System;
using System.Collections.Generic;
using System.Text;

namespace WasmSharedMemory.Generators;

/// <summary>
/// Reads what the compile-time check needs of a WebAssembly binary: its function types, imported functions and
/// defined functions (which together number the function index space), and its exports with their signatures.
/// </summary>
internal static class WasmModuleReader
{
    /// <summary>Reads <paramref name="bytes"/>; the exports by name, each with its signature (<c>(i32) -> i32</c>) or, for another kind, that kind's name.</summary>
    /// <exception cref="FormatException">The bytes are not a WebAssembly module this reader understands.</exception>
    public static Dictionary<string, string> ReadExports(byte[] bytes)
    {
        var reader = new Reader(bytes);
        if (bytes.Length < 8 || bytes[0] != 0 || bytes[1] != (byte)'a' || bytes[2] != (byte)'s' || bytes[3] != (byte)'m')
        {
            throw new FormatException("no \\0asm magic number");
        }

        if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0)
        {
            throw new FormatException("not a version 1 module (a component?)");
        }

        reader.Position = 8;
        var types = new List<string>();
        var functions = new List<int>();
        var exports = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Position < bytes.Length)
        {
            byte id = reader.Byte();
            int size = checked((int)reader.U32());
            int end = checked(reader.Position + size);
            if (end > bytes.Length)
            {
                throw new FormatException($"section {id} runs past the end of the file");
            }

            switch (id)
            {
                case 1:
                    ReadTypes(reader, types);
                    break;
                case 2:
                    ReadImports(reader, functions);
                    break;
                case 3:
                    for (uint count = reader.U32(), i = 0; i < count; i++)
                    {
                        functions.Add(checked((int)reader.U32()));
                    }

                    break;
                case 7:
                    ReadExports(reader, types, functions, exports);
                    break;
            }

            reader.Position = end;
        }

        return exports;
    }

    private static void ReadTypes(Reader reader, List<string> types)
    {
        for (uint count = reader.U32(), i = 0; i < count; i++)
        {
            byte form = reader.Byte();
            if (form != 0x60)
            {
                // A GC proposal's struct or array type: not a function, never an export's signature.
                throw new FormatException($"type {i} has form 0x{form:X2}, which this reader does not know");
            }

            string parameters = string.Join(", ", ReadValueTypes(reader));
            string[] results = ReadValueTypes(reader);
            string result = results.Length switch
            {
                0 => "()",
                1 => results[0],
                _ => "(" + string.Join(", ", results) + ")",
            };
            types.Add($"({parameters}) -> {result}");
        }
    }

    private static void ReadImports(Reader reader, List<int> functions)
    {
        for (uint count = reader.U32(), i = 0; i < count; i++)
        {
            reader.Name();
            reader.Name();
            byte kind = reader.Byte();
            switch (kind)
            {
                case 0:
                    functions.Add(checked((int)reader.U32()));
                    break;
                case 1:
                    reader.Byte();
                    Limits(reader);
                    break;
                case 2:
                    Limits(reader);
                    break;
                case 3:
                    reader.Byte();
                    reader.Byte();
                    break;
                case 4:
                    reader.Byte();
                    reader.U32();
                    break;
                default:
                    throw new FormatException($"import {i} has kind {kind}, which this reader does not know");
            }
        }
    }

    private static void ReadExports(Reader reader, List<string> types, List<int> functions, Dictionary<string, string> exports)
    {
        for (uint count = reader.U32(), i = 0; i < count; i++)
        {
            string name = reader.Name();
            byte kind = reader.Byte();
            uint index = reader.U32();
            exports[name] = kind switch
            {
                0 when index < functions.Count && functions[(int)index] < types.Count => types[functions[(int)index]],
                0 => throw new FormatException($"export '{name}' names function {index}, which the module does not have"),
                1 => "a table",
                2 => "a memory",
                3 => "a global",
                _ => "a tag",
            };
        }
    }

    private static string[] ReadValueTypes(Reader reader)
    {
        var kinds = new string[reader.U32()];
        for (int i = 0; i < kinds.Length; i++)
        {
            byte kind = reader.Byte();
            kinds[i] = kind switch
            {
                0x7F => "i32",
                0x7E => "i64",
                0x7D => "f32",
                0x7C => "f64",
                0x7B => "v128",
                0x70 => "funcref",
                0x6F => "externref",
                _ => throw new FormatException($"value type 0x{kind:X2} is not one this reader knows"),
            };
        }

        return kinds;
    }

    private static void Limits(Reader reader)
    {
        byte flags = reader.Byte();
        reader.U64();
        if ((flags & 1) != 0)
        {
            reader.U64();
        }
    }

    private sealed class Reader
    {
        private readonly byte[] _bytes;

        public Reader(byte[] bytes) => _bytes = bytes;

        public int Position { get; set; }

        public byte Byte() => Position < _bytes.Length ? _bytes[Position++] : throw new FormatException("the file ends inside a section");

        public uint U32() => checked((uint)U64());

        public ulong U64()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new FormatException("a LEB128 number is longer than 64 bits");
        }

        public string Name()
        {
            int length = checked((int)U32());
            if (Position + length > _bytes.Length)
            {
                throw new FormatException("a name runs past the end of the file");
            }

            string name = Encoding.UTF8.GetString(_bytes, Position, length);
            Position += length;
            return name;
        }
    }
}
