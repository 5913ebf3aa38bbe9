using System.Collections;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// RTSP message headers in arrival order; names compare case-insensitively (RFC 2326 §4.2
/// inherits HTTP/1.1's rule). A repeated header keeps every occurrence; the indexer returns the first.
/// </summary>
public sealed class RtspHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    /// <summary>Number of header lines.</summary>
    public int Count => _items.Count;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    /// <summary>Appends a header line.</summary>
    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _items.Add(new(name, value));
    }

    /// <summary>Replaces every occurrence of <paramref name="name"/> with one line.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Removes every occurrence of <paramref name="name"/>; true when one was present.</summary>
    public bool Remove(string name) => _items.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>Finds the first value of <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, out string value)
    {
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = item.Value;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>True when <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => TryGetValue(name, out _);

    /// <summary>Removes every header.</summary>
    public void Clear() => _items.Clear();

    /// <summary>Appends a value to the last header line (an obsolete folded continuation line).</summary>
    internal bool AppendToLast(string continuation)
    {
        if (_items.Count == 0)
        {
            return false;
        }

        // The fold is one SP (RFC 2616 §2.2); an empty side adds none, so the value stays trimmed.
        var last = _items[^1];
        if (continuation.Length > 0)
        {
            _items[^1] = new(last.Key, last.Value.Length == 0 ? continuation : last.Value + " " + continuation);
        }

        return true;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
