using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Feed;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.WebRtc.Plane;

/// <summary>The session's DTLS handshake and media: started by the first valid ICE check, ended with the session.</summary>
public sealed partial class WebRtcSession
{
    private readonly CancellationTokenSource _closing = new();
    private DtlsSrtpHandshake? _dtls;
    private WebRtcMediaSession? _media;
    private ViewerLease? _lease;

    /// <summary>The session's media counters (zeros before it plays).</summary>
    public WebRtcSessionStats Stats => Volatile.Read(ref _media)?.Stats ?? default;

    /// <summary>How long the DTLS handshake took, once done.</summary>
    public TimeSpan? HandshakeDuration => _dtls is { IsEstablished: true } dtls ? dtls.HandshakeDuration : null;

    /// <summary>The SRTP profile the handshake chose, once done.</summary>
    public SrtpProfile? SrtpProfile => _dtls is { IsEstablished: true } dtls ? dtls.Keys?.Profile : null;

    internal WebRtcSessionContext? Context { get; set; }

    internal DtlsFingerprint? ExpectedFingerprint { get; set; }

    partial void OnConnecting()
    {
        if (Context is not { } context || ExpectedFingerprint is not { } expected)
        {
            return;
        }

        var dtls = new DtlsSrtpHandshake(context.Certificate, expected, this);
        dtls.Closed += reason => Close($"DTLS association ended ({reason})");
        Volatile.Write(ref _dtls, dtls);
        _ = RunHandshakeAsync(dtls, context);
    }

    partial void OnDtls(ReadOnlySpan<byte> datagram) => Volatile.Read(ref _dtls)?.Deliver(datagram);

    partial void OnRtcp(ReadOnlySpan<byte> datagram) => Volatile.Read(ref _media)?.DeliverRtcp(datagram);

    partial void OnClosing()
    {
        _closing.Cancel();
        Interlocked.Exchange(ref _media, null)?.Dispose();
        Volatile.Read(ref _dtls)?.Close();
        Interlocked.Exchange(ref _lease, null)?.Dispose();
    }

    private async Task RunHandshakeAsync(DtlsSrtpHandshake dtls, WebRtcSessionContext context)
    {
        try
        {
            var keys = await dtls.RunAsync(_closing.Token).ConfigureAwait(false);
            lock (_gate)
            {
                if (State == WebRtcSessionState.Closed)
                {
                    return;
                }

                var media = context.Feeds.Attach(Hub, new WebRtcMediaSessionSetup(this, keys, (byte)PayloadType, Ssrc, "camstreamd"));
                media.Ended += () => Close("the stream ended");
                Volatile.Write(ref _media, media);
                _lease = Hub.Counters.AddViewer(ViewerProtocol.WebRtc);
                MarkPlaying();
            }

            WebRtcLog.SessionPlaying(context.Logger, StreamName, Id, SelectedEndPoint?.ToString(), (long)_time.GetElapsedTime(CreatedTimestamp).TotalMilliseconds, SrtpNames.Of(keys.Profile));
        }
        catch (DtlsHandshakeException e)
        {
            Close($"DTLS handshake failed ({e.Reason}): {e.Message}");
        }
        catch (OperationCanceledException)
        {
            Close("DTLS handshake cancelled");
        }
        catch (ObjectDisposedException)
        {
            Close("the stream's feed is gone");
        }
    }
}
