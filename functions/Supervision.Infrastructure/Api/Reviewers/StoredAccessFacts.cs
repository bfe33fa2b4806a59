using Supervision.Domain.Audit;
using Supervision.Domain.Paging;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Api.Reviewers;

/// <summary>The access facts from the cases table and the audit log.</summary>
public sealed class StoredAccessFacts(CaseStore cases, AuditLog audit) : IAccessFacts
{
    public Task<CaseRecord?> CaseAsync(string caseId, CancellationToken cancellationToken) => cases.GetAsync(caseId, cancellationToken);

    /// <summary>Read from the enterprise's own index partition (uscc|…), which holds its few cases.</summary>
    public async Task<IReadOnlyCollection<string>> DepartmentsWithCasesOfAsync(string uscc, CancellationToken cancellationToken)
    {
        var departments = new HashSet<string>(StringComparer.Ordinal);
        var page = PageRequest.First(PageSizes.Max);
        while (true)
        {
            var read = await cases.PageAsync(new CaseFilter(Uscc: uscc), page, cancellationToken);
            departments.UnionWith(read.Items.SelectMany(c => c.Departments));
            if (read.Next is null)
            {
                return departments;
            }

            page = page with { From = read.Next };
        }
    }

    public Task RecordRefusalAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        audit.AppendAsync(entry, Guid.NewGuid().ToString("N"), cancellationToken);
}
