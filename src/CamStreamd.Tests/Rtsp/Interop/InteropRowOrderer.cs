using Xunit.Abstractions;
using Xunit.Sdk;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// Orders a class's interop rows by the daemon they need (no auth, then basic, then digest), so
/// <see cref="InteropDaemons"/> starts each daemon once per class; within a key, the order xunit gives.
/// </summary>
public sealed class InteropRowOrderer : ITestCaseOrderer
{
    /// <summary>The type name for <see cref="TestCaseOrdererAttribute"/>.</summary>
    public const string TypeName = "CamStreamd.Tests.Rtsp.Interop.InteropRowOrderer";

    /// <summary>The assembly name for <see cref="TestCaseOrdererAttribute"/>.</summary>
    public const string AssemblyName = "CamStreamd.Tests";

    /// <inheritdoc />
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .Select((testCase, index) => (testCase, index, key: Key(testCase)))
            .OrderBy(t => t.key)
            .ThenBy(t => t.index)
            .Select(t => t.testCase);

    private static int Key(ITestCase testCase) =>
        testCase.TestMethodArguments is [string transport, InteropAuth auth]
            ? new InteropCase(transport, auth).DaemonKey switch { "none" => 0, "basic" => 1, _ => 2 }
            : 3;
}
