using System;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Reads another party's exception for a message without trusting it: a host function may throw an exception whose
/// <see cref="Exception.Message"/> throws or is null, and the library's own exception must still be made.
/// </summary>
internal static class ExceptionText
{
    /// <summary>Returns <paramref name="exception"/>'s message, or a description of it when reading the message fails or gives null.</summary>
    public static string MessageOf(Exception? exception)
    {
        if (exception is null)
        {
            return string.Empty;
        }

        try
        {
            return exception.Message ?? $"({TypeName(exception)} with no message)";
        }
        catch (Exception)
        {
            return $"({TypeName(exception)} whose Message threw)";
        }
    }

    /// <summary>The exception's type name; <see cref="object.GetType"/> cannot be overridden, so this never throws.</summary>
    public static string TypeName(Exception exception) => exception.GetType().Name;
}
