using System;
using Xunit;

namespace WasmSharedMemory.Tests;

/// <summary>
/// A fact that needs Linux (its child process caps its own address space with <c>setrlimit</c>): elsewhere it is
/// reported as skipped, with the reason, instead of passing without checking anything.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute(string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = $"Linux only: {reason}";
        }
    }
}
