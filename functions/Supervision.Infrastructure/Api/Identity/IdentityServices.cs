using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Supervision.Infrastructure.Api.Identity;

/// <summary>Bearer-token validation against the configured issuer's metadata, and the caller directory.</summary>
public static class IdentityServices
{
    public static IServiceCollection AddSupervisionIdentity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(
                o => o.MetadataUrl is null || !string.IsNullOrWhiteSpace(o.Audience),
                "Auth:Audience is required once Auth:Authority or Auth:MetadataAddress names an issuer")
            .Validate(o => o.MaxTokenLifetime > TimeSpan.Zero, "Auth:MaxTokenLifetime must be positive")
            .Validate(o => o.DirectoryCacheDuration >= TimeSpan.Zero, "Auth:DirectoryCacheDuration must not be negative")
            .ValidateOnStart();

        // One metadata manager for the process: it caches the issuer's keys and refreshes them.
        services.AddSingleton(s => new BearerTokenValidator(
            BearerTokenValidator.MetadataOf(s.GetRequiredService<IOptions<AuthOptions>>().Value),
            s.GetRequiredService<IOptions<AuthOptions>>(),
            s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BearerTokenValidator>>()));
        services.AddSingleton<CallerDirectory>();
        services.AddSingleton<ICallerDirectory>(s => s.GetRequiredService<CallerDirectory>());
        return services;
    }
}
