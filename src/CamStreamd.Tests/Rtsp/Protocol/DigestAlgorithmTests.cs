using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class DigestAlgorithmTests
{
    // RFC 2617 §3.5: user "Mufasa", password "Circle Of Life", GET /dir/index.html with qop=auth.
    [Fact]
    public void Rfc2617_example_response_with_qop_auth()
    {
        var ha1 = DigestAlgorithm.HashA1("Mufasa", "testrealm@host.com", "Circle Of Life");
        var response = DigestAlgorithm.Response(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b");
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    // Without qop (RFC 2069 form): MD5(HA1:nonce:HA2); reference values from Python's hashlib.
    [Fact]
    public void Response_without_qop_is_the_rfc2069_form()
    {
        var ha1 = DigestAlgorithm.HashA1("Mufasa", "testrealm@host.com", "Circle Of Life");
        Assert.Equal("939e7578ed9e3c518a452acee763bce9", ha1);
        Assert.Equal("670fd8c2df070c60b045671b8b24ff02",
            DigestAlgorithm.Response(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", null, null, null));
    }

    [Fact]
    public void The_method_and_uri_enter_the_response()
    {
        var ha1 = DigestAlgorithm.HashA1("admin", "camstreamd", "s3cret");
        var describe = DigestAlgorithm.Response(ha1, "abc", "DESCRIBE", "rtsp://127.0.0.1:8554/cam0", null, null, null);
        Assert.NotEqual(describe, DigestAlgorithm.Response(ha1, "abc", "SETUP", "rtsp://127.0.0.1:8554/cam0", null, null, null));
        Assert.NotEqual(describe, DigestAlgorithm.Response(ha1, "abc", "DESCRIBE", "rtsp://127.0.0.1:8554/cam1", null, null, null));
    }
}
