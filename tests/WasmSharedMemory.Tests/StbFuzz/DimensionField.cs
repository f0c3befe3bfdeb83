namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>Where a width or height lies in a file: its offset, its size in bytes and its byte order.</summary>
internal readonly record struct DimensionField(int Offset, int Size, bool BigEndian);
