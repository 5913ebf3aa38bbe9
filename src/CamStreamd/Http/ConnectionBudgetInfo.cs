using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>One connection budget in <c>GET /api/connections</c>.</summary>
/// <param name="Name"><c>rtsp</c>, <c>http</c> or <c>mjpeg</c> (later also <c>whep</c>, <c>webrtc</c>).</param>
/// <param name="Open">Connections (or viewers) held now.</param>
/// <param name="Limit">Most held at once.</param>
/// <param name="PerAddressLimit">Most from one address (IPv6: one /64).</param>
/// <param name="Admitted">Newcomers admitted since start.</param>
/// <param name="Evicted">Connections that held nothing, evicted for a newcomer.</param>
/// <param name="ClosedUnderPressure">Connections silent for 2 s, closed early while the table was ¾ full.</param>
/// <param name="RefusedFull">Newcomers refused: every connection held was playing or being served.</param>
/// <param name="RefusedPerAddress">Newcomers refused: their address held its whole share, none evictable.</param>
public sealed record ConnectionBudgetInfo(
    string Name, int Open, int Limit, int PerAddressLimit, long Admitted, long Evicted, long ClosedUnderPressure, long RefusedFull, long RefusedPerAddress)
{
    /// <summary>The figures of <paramref name="budget"/> now.</summary>
    public static ConnectionBudgetInfo Of(ConnectionBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new(budget.Name, budget.Count, budget.Limit, budget.PerAddressLimit, budget.Admitted, budget.Evicted,
            budget.PressureClosed, budget.RefusedFull, budget.RefusedPerAddress);
    }
}
