using System.Text;
using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>The connection budgets' families of <c>GET /metrics</c>, labelled by budget (<c>rtsp</c>, <c>http</c>, <c>mjpeg</c>).</summary>
internal static class ConnectionBudgetMetrics
{
    /// <summary>Writes the families of <paramref name="budgets"/>.</summary>
    public static void Write(StringBuilder text, IReadOnlyList<ConnectionBudget> budgets, long rtspUnanswered)
    {
        Gauge(text, budgets, "camstreamd_connections", "Connections (for mjpeg: viewers) held now, by budget.", b => b.Count);
        Gauge(text, budgets, "camstreamd_connections_limit", "Most connections a budget holds at once.", b => b.Limit);
        Gauge(text, budgets, "camstreamd_connections_per_address_limit", "Most connections a budget holds from one address (IPv6: one /64).", b => b.PerAddressLimit);

        MetricsWriter.Family(text, "camstreamd_connections_admitted_total", "counter", "Newcomers admitted, by budget.");
        foreach (var budget in budgets)
        {
            MetricsWriter.Sample(text, "camstreamd_connections_admitted_total", [("budget", budget.Name)], budget.Admitted);
        }

        MetricsWriter.Family(text, "camstreamd_connections_evicted_total", "counter", "Connections that held nothing, closed to make room: for a newcomer, or silent while the table was three quarters full.");
        foreach (var budget in budgets)
        {
            MetricsWriter.Sample(text, "camstreamd_connections_evicted_total", [("budget", budget.Name), ("reason", "newcomer")], budget.Evicted);
            MetricsWriter.Sample(text, "camstreamd_connections_evicted_total", [("budget", budget.Name), ("reason", "pressure")], budget.PressureClosed);
        }

        MetricsWriter.Family(text, "camstreamd_connections_refused_total", "counter", "Newcomers refused: the budget full of connections that play or are served, or their address at its share.");
        foreach (var budget in budgets)
        {
            MetricsWriter.Sample(text, "camstreamd_connections_refused_total", [("budget", budget.Name), ("reason", "full")], budget.RefusedFull);
            MetricsWriter.Sample(text, "camstreamd_connections_refused_total", [("budget", budget.Name), ("reason", "per_address")], budget.RefusedPerAddress);
        }

        MetricsWriter.Family(text, "camstreamd_rtsp_connections_unanswered_total", "counter", "Refused RTSP connections closed without a 503 because 64 refusals were already being answered.");
        MetricsWriter.Sample(text, "camstreamd_rtsp_connections_unanswered_total", [], rtspUnanswered);
    }

    private static void Gauge(StringBuilder text, IReadOnlyList<ConnectionBudget> budgets, string name, string help, Func<ConnectionBudget, double> value)
    {
        MetricsWriter.Family(text, name, "gauge", help);
        foreach (var budget in budgets)
        {
            MetricsWriter.Sample(text, name, [("budget", budget.Name)], value(budget));
        }
    }
}
