using System.Security.Cryptography;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.WebRtc.Feed;

/// <summary>What the plane knows about a session once its DTLS handshake completed, to attach it to its stream's feed.</summary>
/// <param name="Sender">Sends to the browser's address on the shared UDP port.</param>
/// <param name="Keys">The handshake's SRTP keys (we protect with the server's pair, unprotect SRTCP with the client's).</param>
/// <param name="PayloadType">The H.264 payload type the answer chose from the offer (e.g. 102 in Chromium's).</param>
/// <param name="Ssrc">Our SSRC for this session, as the answer's a=ssrc announced (<see cref="RandomSsrc"/>).</param>
/// <param name="Cname">Our SDES CNAME (RTCP SR + SDES, RFC 3550 §6.5.1), as in the answer.</param>
public sealed record WebRtcMediaSessionSetup(IDatagramSender Sender, SrtpKeyMaterial Keys, byte PayloadType, uint Ssrc, string Cname)
{
    /// <summary>A random, non-zero SSRC from a CSPRNG (RFC 3550 §8.1) for the answer.</summary>
    public static uint RandomSsrc()
    {
        Span<byte> bytes = stackalloc byte[4];
        uint ssrc;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            ssrc = BitConverter.ToUInt32(bytes);
        }
        while (ssrc == 0);
        return ssrc;
    }
}
