using System.Collections.Concurrent;
using System.Net;

namespace Supervision.Testing;

/// <summary>Outbound HTTP at its seam: answers with a function of the request and keeps what was sent.</summary>
public sealed class RecordingHandler(Func<HttpRequestMessage, string?, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<(HttpRequestMessage Request, string? Body)> Sent { get; } = new();

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Sent.Enqueue((request, body));
        return respond(request, body);
    }
}
