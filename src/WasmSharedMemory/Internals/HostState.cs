using System;
using System.Collections.Generic;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// What a <see cref="WasmHostPool"/> with <see cref="WasmHostReuse.WhenClean"/> compares to vouch for a returned host:
/// how far linear memory grew, every exported table (its size and each element), and the WASI descriptor table. What
/// it cannot see (linear memory's contents, globals, tables the module does not export) carries over, as
/// <see cref="WasmHostReuse.WhenClean"/> documents.
/// </summary>
internal sealed class HostState
{
    /// <summary>How many descriptors past the highest one a new host has open a later census looks at.</summary>
    public const int DescriptorHeadroom = 16;

    private readonly long _memoryBytes;
    private readonly Table[] _tables;
    private readonly TableState[] _tableStates;
    private readonly byte[]? _descriptors;

    private HostState(long memoryBytes, Table[] tables, TableState[] tableStates, byte[]? descriptors) =>
        (_memoryBytes, _tables, _tableStates, _descriptors) = (memoryBytes, tables, tableStates, descriptors);

    /// <summary>
    /// Captures <paramref name="guest"/>'s state now (under its gate, and through its guarded path for the descriptors):
    /// the state a new host starts in when <paramref name="baseline"/> is null, else the state to compare with it.
    /// </summary>
    /// <exception cref="WasmSharedMemoryException">The host is faulted, or the descriptor census failed.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public static HostState Capture(GuestInstance guest, HostState? baseline = null)
    {
        // A new host's census covers every descriptor it may hold; later ones only as far as a lease could have reached.
        int count = baseline?._descriptors is { } first ? Wasi.DescriptorCensus.Span(first, DescriptorHeadroom) : Wasi.WasiShim.CensusDescriptors;
        byte[]? descriptors = guest.Descriptors?.Take(guest, count);

        return guest.InGate(g =>
        {
            // Looking exports up is the costly part (tens of microseconds): once per host, from its first capture.
            Table[] tables = baseline?._tables ?? g.Instance.GetTables().Select(t => t.Table).ToArray();
            return new HostState(g.MemoryBytesInCall, tables, tables.Select(TableState.Of).ToArray(), descriptors);
        });
    }

    /// <summary>
    /// Says why <paramref name="now"/>, captured later from the same host, is not a state this one vouches for; null if it is.
    /// Memory that grew is refused once it holds more than half of what <paramref name="growth"/> lets it reach: a heap a
    /// tenant left fragmented there could fail the next tenant's allocation with nothing live, while below it the memory
    /// can still grow by as much as it holds. Growth alone is not refused: C allocators never give memory back, so a
    /// host grows on its first large request, and replacing every such host would make reuse cost what a fresh
    /// instance costs.
    /// </summary>
    public string? Differs(HostState now, MemoryGrowth growth) =>
        now._memoryBytes > _memoryBytes && now._memoryBytes > growth.ReachBytes / 2
            ? $"linear memory grew from {_memoryBytes} to {now._memoryBytes} bytes, past half of the {growth.ReachBytes} bytes it may reach"
        : !_tableStates.SequenceEqual(now._tableStates) ? "an exported table changed"
        : !SameDescriptors(now._descriptors) ? "a WASI descriptor was opened, closed or changed"
        : null;

    private bool SameDescriptors(byte[]? now)
    {
        if (_descriptors is null || now is null)
        {
            return _descriptors is null && now is null;
        }

        // The later census covers a prefix of this one: the rest lies past where any lease could have reached.
        return now.Length <= _descriptors.Length && _descriptors.AsSpan(0, now.Length).SequenceEqual(now);
    }

    /// <summary>An exported table's size and elements; elements compare by reference (Wasmtime.Dotnet hands out one object per function), so a false difference only costs an instantiation.</summary>
    private sealed class TableState : IEquatable<TableState>
    {
        private readonly object?[] _elements;

        private TableState(object?[] elements) => _elements = elements;

        public static TableState Of(Table table)
        {
            var elements = new object?[table.GetSize()];
            for (uint i = 0; i < elements.Length; i++)
            {
                elements[i] = table.GetElement(i);
            }

            return new TableState(elements);
        }

        public bool Equals(TableState? other) =>
            other is not null && _elements.Length == other._elements.Length && _elements.Zip(other._elements, ReferenceEquals).All(same => same);

        public override bool Equals(object? obj) => Equals(obj as TableState);

        public override int GetHashCode() => _elements.Length;
    }
}
