namespace CamStreamd.Rtsp.Client;

/// <summary>Takes the binary frames (RTP and RTCP) a server interleaves on the RTSP connection.</summary>
public interface IInterleavedReceiver
{
    /// <summary>Called on the connection's read loop for each frame; must return quickly and not keep <paramref name="data"/>.</summary>
    void OnInterleaved(byte channel, ReadOnlySpan<byte> data);
}
