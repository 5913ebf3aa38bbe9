namespace CamStreamd.Tests.Rtsp.Protocol;

/// <summary>The table of requests that drives the parser tests (valid) and the bad-input tests.</summary>
public static class RtspParserCases
{
    /// <summary>Name, raw request, expected method, URI, CSeq, header count, body length.</summary>
    public static readonly (string Name, string Raw, string Method, string Uri, int CSeq, int Headers, int Body)[] Valid =
    [
        ("options-star", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n", "OPTIONS", "*", 1, 1, 0),
        ("options-ffmpeg", "OPTIONS rtsp://127.0.0.1:8554/cam0 RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Lavf59.27.100\r\n\r\n", "OPTIONS", "rtsp://127.0.0.1:8554/cam0", 1, 2, 0),
        ("describe", "DESCRIBE rtsp://127.0.0.1:8554/cam0 RTSP/1.0\r\nAccept: application/sdp\r\nCSeq: 2\r\nUser-Agent: Lavf59.27.100\r\n\r\n", "DESCRIBE", "rtsp://127.0.0.1:8554/cam0", 2, 3, 0),
        ("setup-tcp", "SETUP rtsp://127.0.0.1:8554/cam0/trackID=0 RTSP/1.0\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nCSeq: 3\r\n\r\n", "SETUP", "rtsp://127.0.0.1:8554/cam0/trackID=0", 3, 2, 0),
        ("setup-udp-bare-lf", "SETUP /cam0/trackID=0 RTSP/1.0\nTransport: RTP/AVP;unicast;client_port=5000-5001\ncseq: 4\n\n", "SETUP", "/cam0/trackID=0", 4, 2, 0),
        ("play", "PLAY rtsp://127.0.0.1:8554/cam0/ RTSP/1.0\r\nRange: npt=0.000-\r\nCSeq: 5\r\nSession: 0123456789ABCDEF\r\n\r\n", "PLAY", "rtsp://127.0.0.1:8554/cam0/", 5, 3, 0),
        ("set-parameter-body", "SET_PARAMETER rtsp://h/cam0 RTSP/1.0\r\nCSeq: 6\r\nContent-Type: text/parameters\r\nContent-Length: 11\r\n\r\nbarparam: 1", "SET_PARAMETER", "rtsp://h/cam0", 6, 3, 11),
        ("folded-header", "GET_PARAMETER rtsp://h/cam0 RTSP/1.0\r\nCSeq: 7\r\nX-Long: one\r\n two\r\n\r\n", "GET_PARAMETER", "rtsp://h/cam0", 7, 2, 0),
        ("teardown-no-space", "TEARDOWN /cam0 RTSP/1.0\r\nCSeq:8\r\nSession:ABCDEF\r\n\r\n", "TEARDOWN", "/cam0", 8, 2, 0),
    ];

    /// <summary>Name, raw bad input, expected error kind.</summary>
    public static readonly (string Name, string Raw, string Kind)[] Invalid =
    [
        ("binary-garbage", "\u0001\u0002\u0003garbage", "InvalidRequestLine"),
        ("two-words", "OPTIONS *\r\n\r\n", "InvalidRequestLine"),
        ("http-version", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "InvalidRequestLine"),
        ("rtsp-2", "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n", "UnsupportedVersion"),
        ("bad-method", "OPT:ONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n", "InvalidRequestLine"),
        ("header-no-colon", "OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n", "InvalidHeader"),
        ("header-bad-name", "OPTIONS * RTSP/1.0\r\nC Seq: 1\r\n\r\n", "InvalidHeader"),
        ("fold-first", "OPTIONS * RTSP/1.0\r\n folded: 1\r\n\r\n", "InvalidHeader"),
        ("content-length-text", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: ten\r\n\r\n", "InvalidContentLength"),
        ("content-length-negative", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -1\r\n\r\n", "InvalidContentLength"),
        ("content-too-large", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 65537\r\n\r\n", "ContentTooLarge"),
        ("request-line-too-long", "OPTIONS /" + new string('a', 5000) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n", "RequestLineTooLong"),
        ("request-line-too-long-unterminated", "OPTIONS /" + new string('a', 5000), "RequestLineTooLong"),
        ("too-many-headers", "OPTIONS * RTSP/1.0\r\n" + string.Concat(Enumerable.Range(0, 65).Select(i => $"X-H{i}: v\r\n")) + "\r\n", "TooManyHeaders"),
        ("headers-too-large", "OPTIONS * RTSP/1.0\r\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"X-H{i}: {new string('v', 1000)}\r\n")) + "\r\n", "HeadersTooLarge"),
    ];

    public static TheoryData<string> ValidNames() => new(Valid.Select(c => c.Name));

    public static TheoryData<string> InvalidNames() => new(Invalid.Select(c => c.Name));
}
