using System.Reflection;
using ArchUnitNET.Loader;

namespace Supervision.Architecture.Tests;

/// <summary>
/// The dependency rules of PLAN.md on the compiled product: stages never use one another, shared
/// layers use no stage, the Api root no stage and each route group only the stages listed for it,
/// Domain nothing of the rest. Checked twice: by ArchUnitNET, and by reading every token of the IL.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly LayerRules Rules = new("Supervision");

    private static readonly Assembly[] Checked =
        [Assembly.Load("Supervision.Domain"), Assembly.Load("Supervision.Infrastructure")];

    [Fact]
    public void CompiledIl_DomainAndInfrastructure_KeepTheLayerRules()
    {
        var violations = Rules.Check(Checked.Select(a => CompiledReferences.Read(a.Location)));

        Assert.True(
            violations.Count == 0,
            $"{violations.Count} uses break the layer rules (PLAN.md, LayerRules.Table):\n{LayerRules.Report(violations)}");
    }

    [Fact]
    public void ArchUnit_DomainAndInfrastructure_KeepTheLayerRules()
    {
        var architecture = new ArchLoader().LoadAssemblies(Checked).Build();

        var failures = ArchUnitRules.Failures(Rules, architecture);

        Assert.True(
            failures.Count == 0,
            $"{failures.Count} types break the layer rules (PLAN.md, LayerRules.Table):\n{string.Join('\n', failures)}");
    }
}
