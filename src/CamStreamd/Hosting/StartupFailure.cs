using System.Net.Sockets;

namespace CamStreamd.Hosting;

/// <summary>Tells start failures that mean "a device or port is unavailable" (exit 69) from bugs.</summary>
public static class StartupFailure
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, is a bind failure (address in use, not
    /// available, or a privileged port), a GPIO chip or line that cannot be had, or a permission error; <paramref name="reason"/> is its message.
    /// </summary>
    public static bool IsUnavailable(Exception exception, out string reason)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var e in Flatten(exception))
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied } socket)
            {
                reason = $"{socket.SocketErrorCode}: {socket.Message}";
                return true;
            }

            if (e is Interop.Gpio.GpioException)
            {
                reason = e.Message;
                return true;
            }

            if (e is UnauthorizedAccessException)
            {
                reason = e.Message;
                return true;
            }
        }

        reason = "";
        return false;
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
