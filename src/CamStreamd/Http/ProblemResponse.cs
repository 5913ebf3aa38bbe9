namespace CamStreamd.Http;

/// <summary>An RFC 9457 problem document (<c>application/problem+json</c>), with the offending fields.</summary>
/// <param name="Type">A URI naming the kind of problem (<c>about:blank</c>: the status says it all).</param>
/// <param name="Title">The status text.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong, in words.</param>
/// <param name="Errors">One entry per offending field (its key path inside the request), possibly empty.</param>
public sealed record ProblemResponse(string Type, string Title, int Status, string Detail, IReadOnlyList<ProblemField> Errors);
