using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>
/// Unpredictable bytes from the kernel's CSPRNG (<c>getrandom(2)</c>) for RTSP session ids, SSRCs,
/// first sequence numbers and nonces. <c>RandomNumberGenerator</c> would serve as well but loads
/// OpenSSL on first use: ~3.6 MiB of RSS (libcrypto and libssl) in a daemon that otherwise never
/// needs it (no users, no API token, no TLS).
/// </summary>
public static unsafe partial class KernelRandom
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <exception cref="LibcException">getrandom failed (only on kernels older than 3.17).</exception>
    public static void Fill(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            var filled = 0;
            while (filled < destination.Length)
            {
                // Without GRND_NONBLOCK it waits only until the pool is first seeded at boot; a
                // request up to 256 bytes is never cut short, EINTR aside.
                var got = GetRandom(start + filled, (nuint)(destination.Length - filled), 0);
                if (got < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new LibcException(errno, "getrandom", null);
                }

                filled += (int)got;
            }
        }
    }

    /// <summary>Random bytes as a new array (start-up and per-session use, not per packet).</summary>
    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
