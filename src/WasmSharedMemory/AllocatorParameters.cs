namespace WasmSharedMemory;

/// <summary>The parameters a module's allocation export takes; it always returns the block's address as an <c>i32</c>.</summary>
public enum AllocatorParameters
{
    /// <summary><c>(i32 size) -> i32</c>, like C's <c>malloc</c>.</summary>
    Size = 0,

    /// <summary><c>(i32 size, i32 align) -> i32</c>, like <c>__wbindgen_malloc</c> and <c>wsm_alloc</c>.</summary>
    SizeAlignment = 1,

    /// <summary>
    /// <c>(i32 size, i32 classId) -> i32</c>, like AssemblyScript's <c>__new</c>: the host passes class id 0, a plain
    /// object whose payload the garbage collector never looks inside.
    /// </summary>
    SizeClassId = 2,
}
