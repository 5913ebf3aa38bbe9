namespace CamStreamd.Http;

/// <summary>One offending field of a request.</summary>
/// <param name="Field">Its key path, e.g. <c>source.width</c> or <c>name</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record ProblemField(string Field, string Message);
