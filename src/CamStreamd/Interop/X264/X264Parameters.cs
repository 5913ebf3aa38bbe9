using System.Text;

namespace CamStreamd.Interop.X264;

/// <summary>
/// An <c>x264_param_t</c> in a block we allocate generously (<see cref="X264Constants.ParamBufferSize"/>)
/// and never lay out: x264_param_default_preset fills it, every option goes through
/// x264_param_parse by its x264 name, and x264_param_apply_profile comes last. Only the picture
/// size and colour space, which x264_param_parse has no key for, are written at their offsets.
/// </summary>
internal sealed class X264Parameters : IDisposable
{
    private readonly X264NativeBlock _block;
    private readonly StringBuilder _applied = new();
    private bool _disposed;

    private X264Parameters(X264NativeBlock block) => _block = block;

    /// <summary>The <c>x264_param_t*</c> (valid until <see cref="Dispose"/>).</summary>
    public nint Address => _block.DangerousGetHandle();

    /// <summary>
    /// Loads libx264 if needed and fills the parameters with <paramref name="preset"/> and
    /// <paramref name="tune"/>. Throws <see cref="X264Exception"/> (key <c>preset</c>) when x264 knows
    /// neither, <see cref="X264UnavailableException"/> when libx264 is missing.
    /// </summary>
    public static X264Parameters Create(string preset, string tune)
    {
        LibX264.EnsureLoaded();
        var block = X264NativeBlock.Allocate(X264Constants.ParamBufferSize);
        var parameters = new X264Parameters(block);
        if (LibX264.ParamDefaultPreset(parameters.Address, preset, tune) != 0)
        {
            parameters.Dispose();
            throw new X264Exception($"x264 option preset={preset} tune={tune}: x264 knows no such preset or tune", "preset");
        }

        parameters._applied.Append("preset=").Append(preset).Append(" tune=").Append(tune);
        return parameters;
    }

    /// <summary>Sets <paramref name="key"/> (x264's option name) to <paramref name="value"/>; throws <see cref="X264Exception"/> naming the key when x264 refuses it.</summary>
    public void Set(string key, string value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = LibX264.ParamParse(Address, key, value);
        if (result != 0)
        {
            var why = result == X264Constants.X264_PARAM_BAD_NAME ? "x264 has no such option" : "x264 refused the value";
            throw new X264Exception($"x264 option {key}={value}: {why}", key);
        }

        _applied.Append(' ').Append(key).Append('=').Append(value);
    }

    /// <summary>Writes the picture size and colour space (<c>i_width</c>, <c>i_height</c>, <c>i_csp</c>).</summary>
    public void SetPicture(int width, int height, int csp)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _block.WriteInt32(X264Constants.ParamWidthOffset, width);
        _block.WriteInt32(X264Constants.ParamHeightOffset, height);
        _block.WriteInt32(X264Constants.ParamCspOffset, csp);
        _applied.Append(" size=").Append(width).Append('x').Append(height);
    }

    /// <summary>Applies the profile's limits last (x264_param_apply_profile); throws <see cref="X264Exception"/> (key <c>profile</c>) when the settings do not fit it.</summary>
    public void ApplyProfile(string profile)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (LibX264.ParamApplyProfile(Address, profile) != 0)
        {
            throw new X264Exception($"x264 option profile={profile}: x264 refused the profile for these settings", "profile");
        }

        _applied.Append(" profile=").Append(profile);
    }

    /// <summary>What was set, in order (for error messages).</summary>
    public string Describe() => _applied.ToString();

    /// <summary>Reads an <c>int</c> field at <paramref name="offset"/> (tests check the written picture fields).</summary>
    internal int ReadInt32(int offset) => _block.ReadInt32(offset);

    /// <summary>Frees the strings x264 duplicated, then the block.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LibX264.ParamCleanup(Address);
        _block.Dispose();
    }
}
