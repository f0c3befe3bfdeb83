namespace WasmSharedMemory.Internals;

/// <summary>
/// One read or write of linear memory outside the call gate, as the copy helpers, streams and string reads do: while
/// it is held, <see cref="GuestInstance.Dispose"/> waits before it unmaps the memory. Begin it with
/// <see cref="GuestInstance.Access"/> or <see cref="GuestInstance.TryAccess"/> in a <c>using</c>.
/// </summary>
/// <remarks>
/// While it is held, never take the gate (<see cref="GuestInstance.Dispose"/> holds it while it waits) and never
/// block: copy a known range and leave.
/// </remarks>
internal readonly unsafe ref struct GuestAccess
{
    private readonly GuestInstance? _guest;

    internal GuestAccess(GuestInstance guest) => _guest = guest;

    /// <summary>Gets the base of linear memory, which stays mapped while the access is held.</summary>
    public byte* Base => _guest!.Base;

    /// <summary>Ends the access; nothing for the default value a failed <see cref="GuestInstance.TryAccess"/> gives.</summary>
    public void Dispose() => _guest?.ExitAccess();
}
