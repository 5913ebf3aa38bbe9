using System.Runtime.InteropServices;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Debian's libsrtp2 (libsrtp2-1), the reference SRTP implementation, as an independent peer for
/// our SRTP code: a session with one wildcard stream (any outbound or any inbound SSRC) and the
/// default policy, AES_CM_128_HMAC_SHA1_80 for RTP and RTCP, or AEAD_AES_128_GCM (16-byte tag).
/// </summary>
internal sealed unsafe partial class LibSrtp : IDisposable
{
    private const string Library = "libsrtp2.so.1";

    // srtp_ssrc_type_t (srtp.h)
    private const int SsrcAnyInbound = 2;
    private const int SsrcAnyOutbound = 3;

    // srtp_policy_t of libsrtp 2.x on LP64: ssrc {int type; uint value} at 0, rtp crypto policy
    // (6 ints) at 8, rtcp at 32, key at 56, keys at 64, num_master_keys 72, deprecated_ekt 80,
    // window_size 88, allow_repeat_tx 96, enc_xtn_hdr 104, enc_xtn_hdr_count 112, next 120.
    private const int PolicySize = 128;

    private static readonly Lock InitGate = new();
    private static bool _initialized;

    private readonly IntPtr _session;
    private readonly IntPtr _key;

    private LibSrtp(IntPtr session, IntPtr key)
    {
        _session = session;
        _key = key;
    }

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);

    /// <summary>A sender (protects) or receiver (unprotects) with the key||salt (30 bytes for AES-CM, 28 for GCM, whose salt is 12).</summary>
    public static LibSrtp Create(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool sender, bool gcm = false)
    {
        lock (InitGate)
        {
            if (!_initialized)
            {
                Check(srtp_init(), "srtp_init");
                _initialized = true;
            }
        }

        var key = (IntPtr)NativeMemory.AllocZeroed(64);
        masterKey.CopyTo(new Span<byte>((void*)key, 16));
        masterSalt.CopyTo(new Span<byte>((void*)(key + 16), gcm ? 12 : 14));
        var policy = (byte*)NativeMemory.AllocZeroed(PolicySize);
        try
        {
            *(int*)policy = sender ? SsrcAnyOutbound : SsrcAnyInbound;
            if (gcm)
            {
                srtp_crypto_policy_set_aes_gcm_128_16_auth(policy + 8);
                srtp_crypto_policy_set_aes_gcm_128_16_auth(policy + 32);
            }
            else
            {
                srtp_crypto_policy_set_rtp_default(policy + 8);
                srtp_crypto_policy_set_rtcp_default(policy + 32);
            }

            *(IntPtr*)(policy + 56) = key;
            IntPtr session;
            Check(srtp_create(&session, policy), "srtp_create");
            return new LibSrtp(session, key);
        }
        finally
        {
            NativeMemory.Free(policy);
        }
    }

    /// <summary>srtp_protect: the buffer needs 16 spare bytes; returns the new length.</summary>
    public int Protect(byte[] buffer, int length) => Call(buffer, length, rtcp: false, protect: true);

    public int ProtectRtcp(byte[] buffer, int length) => Call(buffer, length, rtcp: true, protect: true);

    /// <summary>srtp_unprotect: the new length, or -(status) when refused.</summary>
    public int Unprotect(byte[] buffer, int length) => Call(buffer, length, rtcp: false, protect: false);

    public int UnprotectRtcp(byte[] buffer, int length) => Call(buffer, length, rtcp: true, protect: false);

    public void Dispose()
    {
        _ = srtp_dealloc(_session);
        NativeMemory.Free((void*)_key);
    }

    private int Call(byte[] buffer, int length, bool rtcp, bool protect)
    {
        fixed (byte* data = buffer)
        {
            var len = length;
            var status = (rtcp, protect) switch
            {
                (false, true) => srtp_protect(_session, data, &len),
                (false, false) => srtp_unprotect(_session, data, &len),
                (true, true) => srtp_protect_rtcp(_session, data, &len),
                _ => srtp_unprotect_rtcp(_session, data, &len),
            };
            return status == 0 ? len : -status;
        }
    }

    private static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{call} failed with srtp_err_status {status}");
        }
    }

    [LibraryImport(Library)]
    private static partial int srtp_init();

    [LibraryImport(Library)]
    private static partial void srtp_crypto_policy_set_rtp_default(byte* policy);

    [LibraryImport(Library)]
    private static partial void srtp_crypto_policy_set_rtcp_default(byte* policy);

    [LibraryImport(Library)]
    private static partial void srtp_crypto_policy_set_aes_gcm_128_16_auth(byte* policy);

    [LibraryImport(Library)]
    private static partial int srtp_create(IntPtr* session, byte* policy);

    [LibraryImport(Library)]
    private static partial int srtp_dealloc(IntPtr session);

    [LibraryImport(Library)]
    private static partial int srtp_protect(IntPtr session, byte* packet, int* length);

    [LibraryImport(Library)]
    private static partial int srtp_unprotect(IntPtr session, byte* packet, int* length);

    [LibraryImport(Library)]
    private static partial int srtp_protect_rtcp(IntPtr session, byte* packet, int* length);

    [LibraryImport(Library)]
    private static partial int srtp_unprotect_rtcp(IntPtr session, byte* packet, int* length);
}
