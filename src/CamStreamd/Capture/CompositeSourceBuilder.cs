using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Rtsp.Client;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Capture;

/// <summary>Builds the <see cref="CompositeSource"/> of a configured (validated) composite stream, with one input per <c>inputs[]</c> entry.</summary>
public static class CompositeSourceBuilder
{
    /// <summary>
    /// The source of <paramref name="stream"/>; its inputs' counters go to <paramref name="counters"/>
    /// (for the API). <paramref name="tap"/> serves <c>{"stream": name}</c> inputs (null: they stay NO SIGNAL).
    /// </summary>
    public static CompositeSource Create(StreamOptions stream, StreamCounters counters, int maxFrameLength, ICompositeFrameTap? tap, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var source = stream.Source;
        var configured = source.Inputs ?? [];
        var rects = CompositeLayout.Resolve(source);
        if (!CompositeBackground.TryParse(source.Background, out var rgb))
        {
            throw new ArgumentException($"background {source.Background} is not a colour (the configuration was not validated)", nameof(stream));
        }

        var logger = loggerFactory.CreateLogger<CompositeSource>();
        var inputs = new List<(ICompositeInput Input, CompositeRect Rect, string Fit)>(configured.Count);
        for (var j = 0; j < configured.Count; j++)
        {
            var input = configured[j];
            var name = input.Name ?? input.Stream ?? $"input{j}";
            ICompositeInput built = input.Url is not null
                ? new CompositeRtspInput(stream.Name, name, new RtspPullOptions(input.Url, input.Transport, input.Username, input.Password, maxFrameLength), new PictureSlot(), logger)
                : new CompositeStreamInput(name, input.Stream!, tap ?? NoTap.Instance, new PictureSlot());
            inputs.Add((built, rects[j], input.Fit));
        }

        counters.CompositeInputs = [.. inputs.Select(i => i.Input.Counters)];
        return new CompositeSource(source.Width, source.Height, source.Fps, TimeSpan.FromSeconds(source.HoldSeconds), CompositeSource.ToYuv(rgb), inputs, logger);
    }

    private sealed class NoTap : ICompositeFrameTap, IDisposable
    {
        public static readonly NoTap Instance = new();

        public IDisposable Attach(string stream, Action<VideoFrame> onFrame) => this;

        public void Dispose()
        {
        }
    }
}
