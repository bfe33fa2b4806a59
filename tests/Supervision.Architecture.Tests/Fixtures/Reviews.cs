// Fixtures for the checker's tests: a fake "Reviews" stage that the fake Scoring stage must not use.
namespace ArchitectureFixtures.Infrastructure.Reviews;

public sealed class ReviewStarter;

public sealed class CaseStore;

public abstract class ReviewBase;

public interface IReviewSink;

public sealed class ReviewRefusedException(string message) : Exception(message);

public static class ReviewLog
{
    public static readonly int Limit = Environment.ProcessorCount;

    public static void Note()
    {
    }
}

public static class Outer
{
    public sealed class Inner;
}
