using System;
using System.Threading;

namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>
/// Rents as a service would: <see cref="WasmHostPool.Rent(CancellationToken)"/> may throw <see cref="TimeoutException"/>
/// when a new host's load-time guest code (a start function, the allocator check) ends past <c>CallTimeout</c>, which a
/// loaded machine can make a trivial one do; the pool documents that its slot stays free, so the service rents again.
/// </summary>
internal static class PoolRent
{
    private const int Attempts = 20;

    // A slot the pool failed to free would make the next rent wait forever; this turns that into a failure.
    private static readonly TimeSpan s_wait = TimeSpan.FromMinutes(1);

    /// <summary>Rents a host, renting again after each documented load timeout (counted by <paramref name="timedOut"/>), up to 20 times.</summary>
    /// <exception cref="InvalidOperationException">Every attempt timed out, or no slot came free within a minute.</exception>
    public static WasmHostLease Retrying(WasmHostPool pool, Action timedOut)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var wait = new CancellationTokenSource(s_wait);
            try
            {
                return pool.Rent(wait.Token);
            }
            catch (TimeoutException) when (attempt < Attempts)
            {
                timedOut();
            }
            catch (TimeoutException ex)
            {
                throw new InvalidOperationException($"{Attempts} rents in a row timed out loading a new host: {ex.Message}", ex);
            }
            catch (OperationCanceledException ex) when (wait.IsCancellationRequested)
            {
                throw new InvalidOperationException($"no host of the pool came free within {s_wait.TotalSeconds} s: a slot was not released", ex);
            }
        }
    }
}
