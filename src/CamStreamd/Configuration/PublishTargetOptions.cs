namespace CamStreamd.Configuration;

/// <summary><c>streams[i].publish[j]</c>: one upstream server the stream is pushed to.</summary>
/// <param name="Url"><c>url</c>: required; <c>rtsp://</c> or <c>rtsps://</c> (RTSP ANNOUNCE/RECORD), <c>rtmp://</c> or <c>srt://</c> (through libavformat). May carry <c>user:password@</c>.</param>
/// <param name="Transport"><c>transport</c>: <c>tcp</c> (interleaved, the default) or <c>udp</c>; RTSP targets only.</param>
/// <param name="Username"><c>username</c> for the upstream server (wins over the URL's).</param>
/// <param name="Password"><c>password</c> for the upstream server; printed as <c>***</c> by <c>check-config</c>.</param>
public sealed record PublishTargetOptions(
    string? Url = null,
    string Transport = "tcp",
    string? Username = null,
    string? Password = null);
