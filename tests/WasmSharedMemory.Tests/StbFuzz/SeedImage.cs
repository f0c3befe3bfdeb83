using System.Collections.Generic;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>A valid image file the fuzzer mutates, with where its header keeps the width and height.</summary>
/// <param name="Name">Format and shape, e.g. <c>png-rgba-17x9</c>, for failure messages.</param>
/// <param name="Bytes">The file.</param>
/// <param name="DimensionFields">Each header field holding a width or height, so a mutation can make it huge.</param>
internal sealed record SeedImage(string Name, byte[] Bytes, IReadOnlyList<DimensionField> DimensionFields);
