using System.Buffers;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// A binary frame a client sent on the RTSP connection (RFC 2326 §10.12: '$', channel, 16-bit
/// length, data) — in practice RTCP receiver reports on the odd channel of a TCP session.
/// </summary>
/// <param name="Channel">The channel byte.</param>
/// <param name="Payload">The frame's data; valid only until the reader advances past it.</param>
public readonly record struct InterleavedFrame(byte Channel, ReadOnlySequence<byte> Payload);
