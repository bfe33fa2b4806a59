namespace Supervision.Architecture.Tests;

/// <summary>
/// The dependency rules of PLAN.md, written once as a table, and their check over the references
/// found in compiled code. The same table drives the ArchUnitNET rules (<see cref="ArchUnitRules"/>).
/// </summary>
/// <param name="root">
/// The first part of every namespace: "Supervision" for the product, or the fixtures' own root in
/// the checker's tests. Domain is <c>{root}.Domain</c>, the layers live under <c>{root}.Infrastructure</c>.
/// </param>
public sealed class LayerRules(string root)
{
    private const string Shared = "Storage Telemetry Enterprises Operations";

    /// <summary>
    /// Each layer under <c>{root}.Infrastructure</c> and what else of Infrastructure it may use.
    /// Every layer may also use Domain and its own namespace with everything below it; "*" is all of
    /// Infrastructure. A namespace takes the rule of its longest listed prefix, so an unlisted
    /// <c>Api.X</c> is held to the Api root's rule; a namespace with no listed prefix is reported.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Table { get; } = new Dictionary<string, string>
    {
        // layer              may use
        ["Storage"]         = Shared,  // shared layers: Domain and each other
        ["Telemetry"]       = Shared,
        ["Enterprises"]     = Shared,
        ["Operations"]      = Shared,
        ["Ingestion"]       = Shared,  // stages: never another stage
        ["Scoring"]         = Shared,
        ["Portraits"]       = Shared,
        ["Reviews"]         = Shared,
        ["Alerts"]          = Shared,
        ["Api"]             = Shared,  // caller resolution, request and response, the access table
        ["Api.Reviewers"]   = $"{Shared} Api Reviews Portraits",
        ["Api.Enterprises"] = $"{Shared} Api Reviews",
        ["Api.Operators"]   = $"{Shared} Api Ingestion Scoring Reviews Portraits",
        ["Api.Exchange"]    = $"{Shared} Api Ingestion",
        ["Api.Health"]      = $"{Shared} Api Ingestion Scoring",
        ["Hosting"]         = "*",     // composition: all of Infrastructure
    };

    public string Domain { get; } = $"{root}.Domain";

    public string Infrastructure { get; } = $"{root}.Infrastructure";

    public string Root => root;

    /// <summary>The layer a namespace belongs to: a key of <see cref="Table"/>, or null where none is listed.</summary>
    public static string? LayerOf(string relativeToInfrastructure) => Table.Keys
        .Where(key => Within(relativeToInfrastructure, key))
        .MaxBy(key => key.Length);

    /// <summary>What a layer may use, for messages: "Domain, Storage, ... and itself".</summary>
    public static string Allowance(string layer) => Table[layer] == "*"
        ? "Domain and all of Infrastructure"
        : $"Domain, {string.Join(", ", Table[layer].Split(' '))} and {layer} itself";

    /// <summary>
    /// Every use that breaks a rule, one line each ("Type.Member -> Target"), grouped under the
    /// rule that it breaks; and every checked namespace with no rule in the table.
    /// </summary>
    public IReadOnlyList<Violation> Check(IEnumerable<CompiledAssembly> assemblies)
    {
        var violations = new HashSet<Violation>();
        foreach (var assembly in assemblies)
        {
            foreach (var type in assembly.Types)
            {
                if (Relative(type.Namespace, Infrastructure) is { } layerless && LayerOf(layerless) is null)
                {
                    violations.Add(new Violation($"{type.Namespace}: no rule in LayerRules.Table", type.FullName));
                }
            }

            foreach (var reference in assembly.References)
            {
                if (Breaks(reference) is { } rule)
                {
                    violations.Add(new Violation(rule, reference.ToString()));
                }
            }
        }

        return [.. violations.OrderBy(v => v.Rule, StringComparer.Ordinal).ThenBy(v => v.Use, StringComparer.Ordinal)];
    }

    /// <summary>A report of violations, each rule followed by the uses that break it.</summary>
    public static string Report(IReadOnlyList<Violation> violations) => string.Join(
        '\n',
        violations.GroupBy(v => v.Rule).Select(group => $"{group.Key}:\n{string.Join('\n', group.Select(v => "  " + v.Use))}"));

    /// <summary>The rule a reference breaks, or null where it keeps them all.</summary>
    private string? Breaks(TypeReference reference)
    {
        var target = reference.Target.Namespace;
        if (!Within(target, root) || Within(target, Domain))
        {
            return null; // not one of ours (System, Microsoft, Azure, ...), or Domain, which anyone may use
        }

        var source = reference.Source.Namespace;
        if (Within(source, Domain))
        {
            return $"{Domain} may use only Domain";
        }

        if (Relative(source, Infrastructure) is not { } from || LayerOf(from) is not { } layer)
        {
            return null; // the hosts may use everything; a namespace without a rule is reported by type
        }

        var allowed = Relative(target, Infrastructure) is { } to
            && (Table[layer] == "*" || Within(to, layer) || Table[layer].Split(' ').Any(use => Within(to, use)));
        return allowed ? null : $"{Infrastructure}.{layer} may use {Allowance(layer)}";
    }

    /// <summary>A namespace relative to a parent ("Api.Reviewers" in "X.Infrastructure", "" for the parent itself), or null.</summary>
    private static string? Relative(string @namespace, string parent) =>
        @namespace == parent ? ""
        : @namespace.StartsWith(parent + ".", StringComparison.Ordinal) ? @namespace[(parent.Length + 1)..]
        : null;

    private static bool Within(string @namespace, string parent) =>
        @namespace == parent || @namespace.StartsWith(parent + ".", StringComparison.Ordinal);
}

/// <summary>One broken rule: the rule, and the use that breaks it ("Type.Member -> Target").</summary>
public sealed record Violation(string Rule, string Use)
{
    public override string ToString() => Use;
}
