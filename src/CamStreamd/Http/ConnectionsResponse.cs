namespace CamStreamd.Http;

/// <summary><c>GET /api/connections</c>: every connection budget with its counters.</summary>
/// <param name="Budgets">RTSP connections, HTTP connections, MJPEG viewers.</param>
public sealed record ConnectionsResponse(IReadOnlyList<ConnectionBudgetInfo> Budgets);
