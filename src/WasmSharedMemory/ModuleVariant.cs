namespace WasmSharedMemory;

/// <summary>Selects which build of the kernel module <see cref="SharedMemoryModule.Load"/> runs.</summary>
public enum ModuleVariant
{
    /// <summary>The SIMD build where the engine can run WebAssembly SIMD, otherwise the scalar build.</summary>
    Auto = 0,

    /// <summary>The build compiled with <c>+simd128</c>, whose kernels use <c>f32x4.mul</c>, <c>f64x2.mul</c> and <c>i32x4.mul</c>.</summary>
    Simd = 1,

    /// <summary>The build with no SIMD instructions, which loads on every engine.</summary>
    Scalar = 2,
}
