using ArchUnitNET.Loader;

namespace Supervision.Architecture.Tests;

/// <summary>
/// The checker itself, run over fixture types compiled into this assembly under their own root
/// namespace (ArchitectureFixtures, see Fixtures/): a fake Scoring stage uses a fake Reviews stage
/// in each way a reference can hide, and the check must report each of them and nothing else.
/// </summary>
public sealed class LayerRulesTests
{
    private const string Scoring = "ArchitectureFixtures.Infrastructure.Scoring";
    private const string Reviews = "ArchitectureFixtures.Infrastructure.Reviews";

    private static readonly LayerRules Rules = new("ArchitectureFixtures");

    private static readonly IReadOnlyList<Violation> Found =
        Rules.Check([CompiledReferences.Read(typeof(LayerRulesTests).Assembly.Location)]);

    private static readonly Lazy<IReadOnlyList<string>> ArchUnitFailures = new(() =>
        ArchUnitRules.Failures(Rules, new ArchLoader().LoadAssemblies(typeof(LayerRulesTests).Assembly).Build()));

    [Fact]
    public void Check_ConstructorParameterOfAnotherStage_IsReported()
    {
        Assert.Contains($"{Scoring}.PlantedConstructorParameter..ctor -> {Reviews}.ReviewStarter", Uses());
    }

    [Fact]
    public void Check_CallInsideAsyncLambda_IsReportedOnTheLambdasStateMachine()
    {
        // The compiler moves the lambda's body into a nested state machine (<>c.<<Later>b__0_0>d);
        // it counts as Scoring because the type that declares it does.
        var use = Assert.Single(Found, v => v.Use.StartsWith($"{Scoring}.PlantedAsyncLambda.", StringComparison.Ordinal));
        Assert.EndsWith($".MoveNext -> {Reviews}.ReviewLog", use.Use, StringComparison.Ordinal);
        Assert.Contains(">d", use.Use, StringComparison.Ordinal);
        Assert.StartsWith($"{Scoring} may use Domain, Storage, Telemetry, Enterprises, Operations", use.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GetRequiredServiceOfAnotherStage_IsReported()
    {
        Assert.Contains($"{Scoring}.PlantedServiceLookup.Resolve -> {Reviews}.CaseStore", Uses());
    }

    [Theory]
    [InlineData("PlantedBaseType (base type) -> {0}.ReviewBase")]
    [InlineData("PlantedInterface (interface) -> {0}.IReviewSink")]
    [InlineData("PlantedGenericArgument.<Stores>k__BackingField -> {0}.CaseStore")]
    [InlineData("PlantedGenericArgument.get_Stores -> {0}.CaseStore")]
    [InlineData("PlantedGenericArgument.Stores -> {0}.CaseStore")]
    [InlineData("PlantedAttributeArgument (attribute) -> {0}.CaseStore")]
    [InlineData("PlantedTypeTest.IsCaseStore -> {0}.CaseStore")]
    [InlineData("PlantedTypeToken.Which -> {0}.CaseStore")]
    [InlineData("PlantedStaticField.Read -> {0}.ReviewLog")]
    [InlineData("PlantedCatch.Run -> {0}.ReviewRefusedException")]
    [InlineData("PlantedConstraint.Accepts -> {0}.IReviewSink")]
    [InlineData("PlantedNestedType.Make -> {0}.Outer.Inner")]
    [InlineData("PlantedAfterSwitch.Pick -> {0}.CaseStore")]
    public void Check_OtherWaysToUseAnotherStage_AreReported(string use)
    {
        Assert.Contains($"{Scoring}.{string.Format(System.Globalization.CultureInfo.InvariantCulture, use, Reviews)}", Uses());
    }

    [Theory]
    [InlineData("ArchitectureFixtures.Domain.PlantedDomainUse.Table -> ArchitectureFixtures.Infrastructure.Storage.Table")]
    [InlineData("ArchitectureFixtures.Infrastructure.Storage.PlantedSharedUse.get_Model -> " +
        "ArchitectureFixtures.Infrastructure.Scoring.Models.ScoringModel")]
    [InlineData("ArchitectureFixtures.Infrastructure.Api.PlantedApiRootUse.get_Store -> " + Reviews + ".CaseStore")]
    [InlineData("ArchitectureFixtures.Infrastructure.Api.Problems.PlantedUnlistedGroupUse.get_Store -> " + Reviews + ".CaseStore")]
    [InlineData("ArchitectureFixtures.Infrastructure.Api.Reviewers.PlantedGroupUse.get_Model -> " +
        "ArchitectureFixtures.Infrastructure.Scoring.Models.ScoringModel")]
    [InlineData("ArchitectureFixtures.Infrastructure.Exchange.PlantedUnlistedLayer")]
    public void Check_LayersOtherThanStages_AreHeldToTheirRules(string use)
    {
        Assert.Contains(use, Uses());
    }

    [Fact]
    public void Check_EveryViolation_ComesFromAPlantedFixture()
    {
        // No false positives: uses of the same stage, its sub-namespaces, Domain, the shared layers,
        // a route group's own stages, Hosting's uses and the framework's types are all allowed, and so
        // are the compiler-generated types of Allowed* (closures, state machines).
        Assert.NotEmpty(Found);
        Assert.All(Found, v => Assert.Contains(".Planted", v.Use.Split(" -> ")[0], StringComparison.Ordinal));
        Assert.DoesNotContain(Found, v => v.Use.Contains(".Allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EveryPlantedFixture_IsReported()
    {
        var planted = typeof(LayerRulesTests).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("ArchitectureFixtures", StringComparison.Ordinal) == true)
            .Where(t => t.Name.StartsWith("Planted", StringComparison.Ordinal))
            .Select(t => t.FullName!.Replace('+', '.'))
            .ToList();

        Assert.Equal(20, planted.Count);
        Assert.All(planted, type => Assert.Contains(Found, v => v.Use.StartsWith(type, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Scoring", "Scoring")]
    [InlineData("Scoring.Models", "Scoring")]
    [InlineData("Api", "Api")]
    [InlineData("Api.Problems", "Api")]
    [InlineData("Api.Reviewers", "Api.Reviewers")]
    [InlineData("Api.Reviewers.Decisions", "Api.Reviewers")]
    [InlineData("Api.Enterprises", "Api.Enterprises")]
    [InlineData("Enterprises", "Enterprises")]
    [InlineData("Exchange", null)]
    [InlineData("", null)]
    [InlineData("ScoringModels", null)]
    public void LayerOf_Namespace_TakesItsLongestListedPrefix(string @namespace, string? layer)
    {
        Assert.Equal(layer, LayerRules.LayerOf(@namespace));
    }

    [Theory]
    [InlineData("PlantedConstructorParameter", "ReviewStarter")]
    [InlineData("PlantedAsyncLambda", "ReviewLog")]
    [InlineData("PlantedServiceLookup", "CaseStore")]
    public void ArchUnit_PlantedUseOfAnotherStage_IsReported(string type, string target)
    {
        Assert.Contains(ArchUnitFailures.Value, f => f.StartsWith($"{Scoring}.{type} does depend on", StringComparison.Ordinal)
            && f.Contains($"\"{Reviews}.{target}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ArchUnit_AllowedUses_AreNotReported()
    {
        Assert.NotEmpty(ArchUnitFailures.Value);
        Assert.All(ArchUnitFailures.Value, f => Assert.StartsWith("Planted", f.Split(' ')[0].Split('.')[^1], StringComparison.Ordinal));
    }

    private static List<string> Uses() => [.. Found.Select(v => v.Use)];
}
