using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>Builds <c>WWW-Authenticate</c> challenges (RFC 7617 §2, RFC 2617 §3.2.1, RFC 7616 §3.3).</summary>
public static class WwwAuthenticateHeader
{
    /// <summary><c>Basic realm="..."</c>.</summary>
    public static string Basic(string realm)
    {
        var sb = new StringBuilder("Basic realm=");
        AuthParameters.AppendQuoted(sb, realm);
        return sb.ToString();
    }

    /// <summary>
    /// <c>Digest realm="...", nonce="...", algorithm=MD5, qop="auth"[, stale=true]</c>. Both ffmpeg
    /// and GStreamer answer such a challenge (with qop=auth, or without qop in the RFC 2069 form).
    /// </summary>
    public static string Digest(string realm, string nonce, bool stale)
    {
        var sb = new StringBuilder("Digest realm=");
        AuthParameters.AppendQuoted(sb, realm);
        sb.Append(", nonce=");
        AuthParameters.AppendQuoted(sb, nonce);
        sb.Append(", algorithm=").Append(DigestAlgorithm.Md5);
        sb.Append(", qop=\"").Append(DigestAlgorithm.QopAuth).Append('"');
        if (stale)
        {
            sb.Append(", stale=true");
        }

        return sb.ToString();
    }
}
