// The call path builds its raw argument slots on the stack and writes every slot it passes; zeroing them first
// cost about 1.5 ns per kernel call (docs/benchmarks.md). netstandard2.0 has no such attribute and zeroes.
#if NET5_0_OR_GREATER
[module: System.Runtime.CompilerServices.SkipLocalsInit]
#endif
