using System;
using System.Threading;

namespace WasmSharedMemory.Internals;

/// <summary>
/// A value made on first use, by one thread while others wait, as <see cref="Lazy{T}"/> with
/// <see cref="LazyThreadSafetyMode.ExecutionAndPublication"/> makes it, except that a failure is not kept: the exception
/// reaches that caller and the next one runs the factory again. For process-wide state (the kernel catalog, its
/// compiled builds) that a passing failure (a listener that threw, a setting fixed later) must not poison for good.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
internal sealed class RetryingLazy<T>
{
    private readonly object _lock = new();
    private Func<T>? _create;
    private Action<T>? _published;
    private T _value = default!;
    private volatile bool _made;

    /// <summary>Creates a value made by <paramref name="create"/>, and handed to <paramref name="published"/> once it is kept.</summary>
    /// <param name="create">Makes the value; what it throws reaches the caller and is not kept.</param>
    /// <param name="published">
    /// Runs once, on the thread that made the value, after it is kept and outside the lock: what it throws reaches
    /// that caller but cannot undo the value (metrics go here, whose listeners may throw).
    /// </param>
    public RetryingLazy(Func<T> create, Action<T>? published = null) => (_create, _published) = (create, published);

    /// <summary>Gets the value, making it if no call has yet succeeded.</summary>
    public T Value => _made ? _value : Create();

    private T Create()
    {
        T created;
        Action<T>? published;
        lock (_lock)
        {
            if (_made)
            {
                return _value;
            }

            created = _create!();
            _value = created;
            _made = true; // volatile: a reader that sees it sees the value
            published = _published;
            (_create, _published) = (null, null); // nothing the factory captured is kept past its one success
        }

        published?.Invoke(created);
        return created;
    }
}
