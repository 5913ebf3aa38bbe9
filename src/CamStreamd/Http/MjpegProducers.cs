using System.Runtime.CompilerServices;
using CamStreamd.Configuration;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>One <see cref="MjpegProducer"/> per stream instance, made on first use; a rebuilt stream gets a new one.</summary>
internal sealed class MjpegProducers
{
    private readonly ConditionalWeakTable<StreamInstance, MjpegProducer> _producers = [];
    private readonly MjpegOptions _options;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the registry; every producer uses <paramref name="options"/>.</summary>
    public MjpegProducers(MjpegOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The producer of <paramref name="stream"/>.</summary>
    public MjpegProducer For(StreamInstance stream) =>
        _producers.GetValue(stream, s => new MjpegProducer(s, _options, _loggerFactory));

    /// <summary>The producer of <paramref name="stream"/> if one was made, else null.</summary>
    public MjpegProducer? Find(StreamInstance stream) => _producers.TryGetValue(stream, out var producer) ? producer : null;
}
