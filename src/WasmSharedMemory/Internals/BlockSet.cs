using System.Collections.Generic;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The live blocks of one instance, sorted by address, so an allocator that hands out memory a live buffer
/// already owns is caught before two spans alias.
/// </summary>
internal sealed class BlockSet
{
    private readonly List<(ulong Start, ulong End)> _blocks = new();

    /// <summary>Adds <c>[start, end)</c> unless it overlaps a live block; returns the block it overlaps otherwise.</summary>
    public bool TryAdd(ulong start, ulong end, out (ulong Start, ulong End) overlapped)
    {
        int index = UpperBound(start);
        // Only the nearest block on each side can overlap a range that live blocks do not.
        if (index > 0 && _blocks[index - 1].End > start)
        {
            overlapped = _blocks[index - 1];
            return false;
        }

        if (index < _blocks.Count && _blocks[index].Start < end)
        {
            overlapped = _blocks[index];
            return false;
        }

        _blocks.Insert(index, (start, end));
        overlapped = default;
        return true;
    }

    /// <summary>Removes the block that starts at <paramref name="start"/>, if any.</summary>
    public void Remove(ulong start)
    {
        int index = UpperBound(start) - 1;
        if (index >= 0 && _blocks[index].Start == start)
        {
            _blocks.RemoveAt(index);
        }
    }

    /// <summary>Returns the index of the first block starting after <paramref name="address"/>.</summary>
    private int UpperBound(ulong address)
    {
        int low = 0, high = _blocks.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_blocks[mid].Start <= address)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
