//! The version of the allocator and kernel ABI, defined once: this crate and `shared/` both compile this file,
//! the .NET library reads the number from it when it builds (`src/WasmSharedMemory/KernelAbi.targets`) and the
//! Node tests read it too, so a bump here reaches every place that states the version.

/// Version of the allocator and kernel ABI; bumped on any incompatible change to an export. Keep it a plain
/// decimal literal on one line: the .NET build and the Node tests read it as text.
pub const ABI_VERSION: u32 = 1;
