namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>
/// A valid input a module's mutations start from. A <see cref="Plain"/> seed is compressed data whose content is
/// known, so it must decode to exactly that; a seed without one is plain data, fed through a round trip or a hash.
/// </summary>
internal sealed record CorpusSeed(string Name, byte[] Bytes, byte[]? Plain = null);
