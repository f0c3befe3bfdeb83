namespace WasmSharedMemory.Tests;

/// <summary>A 12-byte struct with 4-byte alignment: an element type whose size is not a power of two.</summary>
public readonly record struct Vector3(float X, float Y, float Z);
