using System.Diagnostics.CodeAnalysis;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// A libav* call returned a negative AVERROR. The one place where FFmpeg error codes become
/// exceptions: <see cref="ThrowIfError"/>, with <c>av_strerror</c>'s text and the call's name.
/// </summary>
public sealed class FFmpegException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> failing with <paramref name="errorCode"/>.</summary>
    public FFmpegException(string call, int errorCode)
        : base($"{call} failed: {Describe(errorCode)} (AVERROR {errorCode})")
    {
        Call = call;
        ErrorCode = errorCode;
    }

    /// <summary>The native function (and, for options, the option name) that failed.</summary>
    public string Call { get; }

    /// <summary>The negative AVERROR code (<c>AVERROR(e)</c> is <c>-e</c> on Linux).</summary>
    public int ErrorCode { get; }

    /// <summary><c>av_strerror</c>'s text for <paramref name="errorCode"/>.</summary>
    public static unsafe string Describe(int errorCode)
    {
        // AV_ERROR_MAX_STRING_SIZE is 64; strerror() texts fit in 128.
        const int Size = 128;
        var buffer = stackalloc byte[Size];
        try
        {
            if (LibAvUtil.av_strerror(errorCode, buffer, Size) < 0 && buffer[0] == 0)
            {
                return "unknown error";
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or FFmpegUnavailableException)
        {
            return "error text unavailable (libavutil not loaded)";
        }

        var length = new ReadOnlySpan<byte>(buffer, Size).IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, length < 0 ? Size : length);
    }

    /// <summary>Throws when <paramref name="result"/> is negative; returns it otherwise.</summary>
    internal static int ThrowIfError(int result, string call)
    {
        if (result < 0)
        {
            Throw(call, result);
        }

        return result;
    }

    [DoesNotReturn]
    private static void Throw(string call, int result) => throw new FFmpegException(call, result);
}
