using ArchitectureFixtures.Domain;
using ArchitectureFixtures.Infrastructure.Reviews;
using ArchitectureFixtures.Infrastructure.Scoring.Models;
using ArchitectureFixtures.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

// Fixtures for the checker's tests: a fake "Scoring" stage. Each Planted* type uses the fake Reviews
// stage in one way and in no other, so a report of it proves that way is read; Allowed* uses only
// what a stage may use.
namespace ArchitectureFixtures.Infrastructure.Scoring;

/// <summary>(a) A constructor parameter, not even kept in a field.</summary>
public sealed class PlantedConstructorParameter
{
    public PlantedConstructorParameter(ReviewStarter starter) => ArgumentNullException.ThrowIfNull(starter);
}

/// <summary>(b) A call inside an async lambda: only the lambda's state machine names ReviewLog.</summary>
public static class PlantedAsyncLambda
{
    public static Func<Task> Later() => async () =>
    {
        await Task.Yield();
        ReviewLog.Note();
    };
}

/// <summary>(c) A service lookup: CaseStore appears only in the MethodSpec of GetRequiredService&lt;T&gt;.</summary>
public static class PlantedServiceLookup
{
    public static object Resolve(IServiceProvider services) => services.GetRequiredService<CaseStore>();
}

public sealed class PlantedBaseType : ReviewBase;

public sealed class PlantedInterface : IReviewSink;

public sealed class PlantedGenericArgument
{
    public IReadOnlyList<Dictionary<string, CaseStore>> Stores { get; } = [];
}

[Marker(typeof(List<CaseStore>))]
public sealed class PlantedAttributeArgument;

public static class PlantedTypeTest
{
    public static bool IsCaseStore(object value) => value is CaseStore;
}

public static class PlantedTypeToken
{
    public static Type Which() => typeof(CaseStore);
}

public static class PlantedStaticField
{
    public static int Read() => ReviewLog.Limit;
}

public static class PlantedCatch
{
    public static string Run(Action action)
    {
        try
        {
            action();
            return "ran";
        }
        catch (ReviewRefusedException)
        {
            return "refused";
        }
    }
}

public static class PlantedConstraint
{
    public static bool Accepts<T>(T value)
        where T : IReviewSink => value is not null;
}

public static class PlantedNestedType
{
    public static object Make() => new Outer.Inner();
}

/// <summary>A use after a switch instruction and wide operands: the IL reader must step over each operand exactly.</summary>
public static class PlantedAfterSwitch
{
    public static object Pick(int which, double scale)
    {
        var weight = which switch
        {
            0 => 1.5 * scale,
            1 => 2.25 * scale,
            2 => 3L * scale,
            3 => scale / 7.0,
            _ => 0.0,
        };
        return weight > 1.0 ? new CaseStore() : weight;
    }
}

/// <summary>What a stage may use: itself (sub-namespaces too), Domain, the shared layers, the framework.</summary>
public sealed class AllowedUses(Table table, Score score)
{
    public Func<Task<Score>> Later(IServiceProvider services) => async () =>
    {
        await Task.Yield();
        services.GetRequiredService<Table>().Write(score);
        return new ScoringModel().Apply(score);
    };

    public Table Table => table;
}

internal sealed class ScoringHelper
{
    public static ScoringModel Model() => new();
}
