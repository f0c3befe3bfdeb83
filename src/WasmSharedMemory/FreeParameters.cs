namespace WasmSharedMemory;

/// <summary>The parameters a module's free export takes; it returns nothing.</summary>
public enum FreeParameters
{
    /// <summary><c>(i32 ptr) -> ()</c>, like C's <c>free</c>.</summary>
    Pointer = 0,

    /// <summary><c>(i32 ptr, i32 size) -> ()</c>.</summary>
    PointerSize = 1,

    /// <summary><c>(i32 ptr, i32 size, i32 align) -> ()</c>, like <c>__wbindgen_free</c> and <c>wsm_free</c>.</summary>
    PointerSizeAlignment = 2,
}
