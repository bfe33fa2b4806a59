using System.Text.RegularExpressions;
using ArchUnitNET.Fluent;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Supervision.Architecture.Tests;

/// <summary>
/// <see cref="LayerRules.Table"/> as ArchUnitNET rules: for each layer, its types depend on no
/// type of a namespace it may not use. ArchUnitNET reads types, members and the calls it models;
/// the IL check (<see cref="CompiledReferences"/>) reads every token besides.
/// </summary>
public static class ArchUnitRules
{
    public static IEnumerable<IArchRule> For(LayerRules rules)
    {
        var root = Regex.Escape(rules.Root);
        var domain = Regex.Escape(rules.Domain);
        var infrastructure = Regex.Escape(rules.Infrastructure);

        yield return Types().That().ResideInNamespaceMatching($"^{domain}(\\..+)?$")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching($"^{root}\\.(?!Domain(\\.|$))")
            .Because($"{rules.Domain} may use only Domain")
            .WithoutRequiringPositiveResults();

        foreach (var (layer, uses) in LayerRules.Table)
        {
            // Sub-namespaces with a rule of their own (Api.Reviewers below Api) are held to that rule instead.
            var own = LayerRules.Table.Keys
                .Where(k => k.StartsWith(layer + ".", StringComparison.Ordinal))
                .Select(k => Regex.Escape(k[(layer.Length + 1)..]))
                .ToList();
            var notOwn = own.Count == 0 ? "" : $"(?!\\.({string.Join('|', own)})(\\.|$))";
            var sources = $"^{infrastructure}\\.{Regex.Escape(layer)}{notOwn}(\\..+)?$";

            var allowed = uses == "*"
                ? "Domain|Infrastructure"
                : $"Domain|Infrastructure\\.({string.Join('|', uses.Split(' ').Append(layer).Select(Regex.Escape))})";
            var forbidden = $"^{root}\\.(?!({allowed})(\\.|$))";

            yield return Types().That().ResideInNamespaceMatching(sources)
                .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(forbidden)
                .Because($"{rules.Infrastructure}.{layer} may use {LayerRules.Allowance(layer)}")
                .WithoutRequiringPositiveResults();
        }
    }

    /// <summary>Each failing type of each rule, as ArchUnitNET describes it.</summary>
    public static IReadOnlyList<string> Failures(LayerRules rules, ArchUnitNET.Domain.Architecture architecture) =>
    [
        .. For(rules)
            .SelectMany(rule => rule.Evaluate(architecture))
            .Where(result => !result.Passed)
            .Select(result => result.Description)
            .Order(StringComparer.Ordinal),
    ];
}
