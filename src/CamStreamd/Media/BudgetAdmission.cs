namespace CamStreamd.Media;

/// <summary>What <see cref="ConnectionBudget.TryAdmit"/> decided for a newcomer.</summary>
public enum BudgetAdmission
{
    /// <summary>Admitted (possibly after evicting one connection that held nothing).</summary>
    Admitted,

    /// <summary>Refused: the budget is full and every connection in it plays or is being served.</summary>
    RefusedFull,

    /// <summary>Refused: the newcomer's address has its whole share and none of its connections can be evicted.</summary>
    RefusedPerAddress,
}
