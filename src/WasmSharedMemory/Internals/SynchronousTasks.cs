using System;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Asynchronous members over work that is synchronous and short (a copy in memory): the work runs at once, and the
/// task it returns is already complete: canceled if the token was, faulted with what the work threw, else its result.
/// </summary>
internal static class SynchronousTasks
{
    /// <summary>Runs <paramref name="work"/> now unless <paramref name="cancellationToken"/> is canceled; returns its outcome as a completed task.</summary>
    public static Task<TResult> Run<TState, TResult>(TState state, CancellationToken cancellationToken, Func<TState, TResult> work) =>
        TryRun(state, cancellationToken, work, out TResult result, out Task<TResult>? failed) ? Task.FromResult(result) : failed!;

#if !NETSTANDARD2_0
    /// <summary>Runs <paramref name="work"/> as <see cref="Run"/> does, returning a value task that allocates nothing when it succeeds.</summary>
    public static ValueTask<TResult> RunValue<TState, TResult>(TState state, CancellationToken cancellationToken, Func<TState, TResult> work) =>
        TryRun(state, cancellationToken, work, out TResult result, out Task<TResult>? failed) ? new ValueTask<TResult>(result) : new ValueTask<TResult>(failed!);

    /// <summary>Runs <paramref name="work"/>, which has no result, as <see cref="RunValue{TState, TResult}"/> does.</summary>
    public static ValueTask RunValue<TState>(TState state, CancellationToken cancellationToken, Func<TState, bool> work) =>
        TryRun(state, cancellationToken, work, out _, out Task<bool>? failed) ? default : new ValueTask(failed!);
#endif

    /// <summary>True with the work's result; false with the completed task that reports its cancellation or exception.</summary>
    private static bool TryRun<TState, TResult>(TState state, CancellationToken cancellationToken, Func<TState, TResult> work, out TResult result, out Task<TResult>? failed)
    {
        result = default!;
        failed = null;
        if (cancellationToken.IsCancellationRequested)
        {
            failed = Task.FromCanceled<TResult>(cancellationToken);
            return false;
        }

        try
        {
            result = work(state);
            return true;
        }
        catch (Exception ex)
        {
            failed = Task.FromException<TResult>(ex);
            return false;
        }
    }
}
