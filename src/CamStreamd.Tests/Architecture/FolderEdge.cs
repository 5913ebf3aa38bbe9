namespace CamStreamd.Tests.Architecture;

/// <summary>Folder <paramref name="From"/> uses folder <paramref name="To"/>, seen at <paramref name="Where"/> (file:line).</summary>
internal sealed record FolderEdge(string From, string To, string Where);
