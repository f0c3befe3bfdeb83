using System.Runtime.CompilerServices;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>Checks a buffer handed to a call, under the gate, so no other thread can dispose it between check and call.</summary>
internal static class Operands
{
    /// <summary>Returns the length of <paramref name="buffer"/> after checking that it is live and belongs to <paramref name="guest"/>.</summary>
    /// <exception cref="System.ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="System.ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="buffer"/> belongs to another module.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length<T>(GuestInstance guest, WasmBuffer<T> buffer, string paramName)
        where T : unmanaged
    {
        // The owner is read as a field, not through IGuestBlock: this runs three times on every kernel call.
        GuestInstance? owner = buffer is null ? null : buffer.UncheckedOwner;
        if (owner != guest)
        {
            Check(guest, buffer, paramName);
        }

        return buffer!.UncheckedLength;
    }

    /// <summary>Checks <paramref name="block"/> as <see cref="Length{T}"/> does, whatever its element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(GuestInstance guest, IGuestBlock? block, string paramName)
    {
        if (block is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        GuestInstance? owner = block.Owner;
        if (owner is null)
        {
            ThrowHelper.ThrowOperandDisposed(paramName);
        }

        if (owner != guest)
        {
            ThrowHelper.ThrowForeignBuffer(paramName);
        }
    }

    /// <summary>Checks a buffer passed to export <paramref name="export"/> as <see cref="Check"/> does, with messages that name the export.</summary>
    /// <exception cref="System.ArgumentNullException"><paramref name="block"/> is null.</exception>
    /// <exception cref="System.ObjectDisposedException"><paramref name="block"/> has been disposed.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="block"/> belongs to another module.</exception>
    public static void CheckArgument(GuestInstance guest, IGuestBlock? block, string paramName, string export)
    {
        if (block is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        GuestInstance? owner = block.Owner;
        if (owner is null)
        {
            ThrowHelper.ThrowArgumentDisposed(paramName, export);
        }

        if (owner != guest)
        {
            ThrowHelper.ThrowForeignArgument(paramName, export);
        }
    }

    /// <summary>Throws unless <paramref name="length"/> equals <paramref name="expected"/>.</summary>
    public static void SameLength(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            ThrowHelper.ThrowLengthMismatch(paramName, length, expected);
        }
    }
}
