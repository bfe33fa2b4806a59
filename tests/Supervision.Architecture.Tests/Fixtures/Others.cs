// Fixtures for the checker's tests, one fake layer per namespace block.
// CA1822: instance members on purpose, so that the uses under test hold instances of these types.
#pragma warning disable CA1822
namespace ArchitectureFixtures.Domain
{
    public sealed record Score(double Value);

    /// <summary>Domain uses nothing of Infrastructure.</summary>
    public sealed class PlantedDomainUse
    {
        public object Table() => new Infrastructure.Storage.Table();
    }
}

namespace ArchitectureFixtures.Infrastructure.Scoring.Models
{
    using ArchitectureFixtures.Domain;

    public sealed class ScoringModel
    {
        public Score Apply(Score score) => score with { Value = score.Value / 2 };
    }
}

namespace ArchitectureFixtures.Infrastructure.Storage
{
    using ArchitectureFixtures.Domain;

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class MarkerAttribute(Type type) : Attribute
    {
        public Type Type => type;
    }

    public sealed class Table
    {
        public void Write(Score score) => ArgumentNullException.ThrowIfNull(score);
    }

    /// <summary>A shared layer uses no stage.</summary>
    public sealed class PlantedSharedUse
    {
        public Scoring.Models.ScoringModel? Model { get; set; }
    }
}

namespace ArchitectureFixtures.Infrastructure.Api
{
    /// <summary>The Api root uses no stage.</summary>
    public sealed class PlantedApiRootUse
    {
        public Reviews.CaseStore? Store { get; set; }
    }

    public sealed class Caller;
}

namespace ArchitectureFixtures.Infrastructure.Api.Problems
{
    /// <summary>An Api sub-namespace without a rule of its own is held to the Api root's.</summary>
    public sealed class PlantedUnlistedGroupUse
    {
        public Reviews.CaseStore? Store { get; set; }
    }
}

namespace ArchitectureFixtures.Infrastructure.Api.Reviewers
{
    /// <summary>A route group may use the Api root, the shared layers and its listed stages (Reviews, Portraits).</summary>
    public sealed class AllowedGroupUses(Caller caller, Reviews.CaseStore store, Storage.Table table)
    {
        public object[] All => [caller, store, table];
    }

    /// <summary>... but not a stage it does not serve.</summary>
    public sealed class PlantedGroupUse
    {
        public Scoring.Models.ScoringModel? Model { get; set; }
    }
}

namespace ArchitectureFixtures.Infrastructure.Hosting
{
    /// <summary>Composition may use all of Infrastructure.</summary>
    public sealed class AllowedHostingUses(Reviews.CaseStore store, Scoring.Models.ScoringModel model, Api.Caller caller)
    {
        public object[] All => [store, model, caller];
    }
}

namespace ArchitectureFixtures.Infrastructure.Exchange
{
    /// <summary>A namespace that the table does not list.</summary>
    public sealed class PlantedUnlistedLayer;
}
