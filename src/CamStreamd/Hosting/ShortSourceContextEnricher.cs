using Serilog.Core;
using Serilog.Events;

namespace CamStreamd.Hosting;

/// <summary>
/// Adds <c>ShortContext</c>: the last part of the logger category (<c>CamStreamd.Rtsp.RtspServer</c>
/// becomes <c>RtspServer</c>), so log lines stay short on a serial console or in the journal.
/// </summary>
public sealed class ShortSourceContextEnricher : ILogEventEnricher
{
    /// <summary>Name of the property added.</summary>
    public const string PropertyName = "ShortContext";

    /// <summary>Used when an event has no category.</summary>
    public const string NoContext = "camstreamd";

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var context = logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var value)
            && value is ScalarValue { Value: string text }
            ? Shorten(text)
            : NoContext;
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, context));
    }

    /// <summary>The last dotted part of a category, without generic arguments.</summary>
    public static string Shorten(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        var end = category.IndexOfAny(['<', '[', '`']);
        var name = end < 0 ? category : category[..end];
        var dot = name.LastIndexOf('.');
        return dot < 0 || dot == name.Length - 1 ? name : name[(dot + 1)..];
    }
}
