namespace Supervision.Domain.Scoring;

/// <summary>
/// Turns ML.NET's feature slot names into the n-grams a reader recognises:
/// "Word.profit|fell" becomes "profit fell", "Char.<␂>|欠|薪" becomes "欠薪" (the start and end
/// markers are dropped, the space marker becomes a space).
/// </summary>
public static class NgramNames
{
    public static string Readable(string slotName)
    {
        var dot = slotName.IndexOf('.', StringComparison.Ordinal);
        var kind = dot > 0 ? slotName[..dot] : string.Empty;
        var body = dot > 0 ? slotName[(dot + 1)..] : slotName;
        var parts = body.Split('|');
        if (kind == "Word")
        {
            return string.Join(' ', parts);
        }

        return string.Concat(parts.Select(p => p switch
        {
            "<␠>" => " ",
            "<␂>" or "<␃>" => string.Empty,
            _ => p,
        })).Trim();
    }
}
